import type { Response } from 'express';
import { OidcClient, providerRefusal } from '../../auth/oidc-client.js';
import { beginFlow, takeFlow } from '../../auth/oidc-flow.js';
import { setRefreshCookie } from '../../auth/refresh-cookie.js';
import { sessionClient } from '../../auth/session-client.js';
import { accountForOidc } from '../../commands/oidc-sign-in.js';
import { sessionOrChallenge } from '../../commands/sign-in.js';
import type { AppContext } from '../../context.js';
import { notFound } from '../../errors.js';
import { createLimiter, limitPerIp } from '../../middlewares/rate-limit.js';
import { AUTH_LIMITS } from '../auth/limits.js';
import { defineRoutes, type RouteGroup } from '../define.js';
import { oidcCallbackQuery, oidcStartQuery, type OidcError } from './schema.js';

const redirectNote =
  'Answers with a redirect: to the app when signed in, else to `/signin?oidc_error=CODE` (unavailable, expired, ' +
  'denied, failed, no-email, unverified-email, no-account).';

/**
 * Sign-in with the OpenID Connect provider of OIDC_ISSUER: `start` sends the browser there, `callback` is the
 * redirect URI registered at the provider. Without OIDC_ISSUER both answer 404.
 */
export function oidcRoutes(ctx: AppContext): RouteGroup {
  const { routes, route } = defineRoutes(ctx);
  const { OIDC_ISSUER } = ctx.config;
  const client = OIDC_ISSUER ? new OidcClient({ ...ctx.config, OIDC_ISSUER }) : undefined;
  const perIp = (name: 'oidcStartPerIp' | 'oidcCallbackPerIp') =>
    limitPerIp(createLimiter(ctx.redis, ctx.config.REDIS_PREFIX, AUTH_LIMITS[name]));
  const tags = ['auth'];

  /** Back to the sign-in page, which explains `error` and keeps where the person was going. */
  const refuse = (res: Response, error: OidcError, returnTo?: string) => {
    const query = new URLSearchParams({ oidc_error: error });
    if (returnTo && returnTo !== '/') query.set('redirect', returnTo);
    res.redirect(302, `/signin?${query}`);
  };

  route(
    {
      method: 'get',
      path: '/auth/oidc/start',
      summary: 'Start signing in with the OpenID Connect provider (a browser navigation, not a fetch)',
      description: `Redirects to the provider's authorization endpoint with state, nonce and a PKCE challenge, and sets a short-lived cookie naming the sign-in. ${redirectNote}`,
      tags,
      auth: 'public',
      rateLimit: perIp('oidcStartPerIp'),
      request: { query: oidcStartQuery },
      responses: {
        302: { description: 'To the provider, or back to the sign-in page when it cannot be reached' },
        404: { description: 'OIDC sign-in is not configured' },
      },
    },
    async ({ query, req, res }) => {
      if (!client) throw notFound('OIDC sign-in');
      const returnTo = query.redirect ?? '/';
      let started;
      try {
        started = await client.begin();
      } catch (error) {
        req.log.warn({ err: error }, 'OIDC discovery failed');
        return refuse(res, 'unavailable', returnTo);
      }
      await beginFlow(ctx, res, { ...started.checks, returnTo });
      res.redirect(302, started.url.href);
    },
  );

  route(
    {
      method: 'get',
      path: '/auth/oidc/callback',
      summary: 'Where the provider sends the browser back: completes the sign-in',
      description: `Checks state, exchanges the code with the PKCE verifier, verifies the id_token (signature, issuer, audience, expiry, nonce), then signs in the linked account. Sets the refresh cookie like a password sign-in; an account with two-factor is sent to \`/signin#totp=CHALLENGE\` for its code. ${redirectNote}`,
      tags,
      auth: 'public',
      rateLimit: perIp('oidcCallbackPerIp'),
      request: { query: oidcCallbackQuery },
      responses: {
        302: { description: 'To the app signed in, or to the sign-in page with the reason' },
        404: { description: 'OIDC sign-in is not configured' },
      },
    },
    async ({ req, res }) => {
      if (!client) throw notFound('OIDC sign-in');
      // The whole query goes to the library, which checks it against the flow (duplicates included).
      const params = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
      const flow = await takeFlow(ctx, req, res);
      if (!flow) return refuse(res, 'expired');
      let identity;
      try {
        identity = await client.complete(params, flow);
      } catch (error) {
        const refusal = providerRefusal(error);
        if (refusal) return refuse(res, 'denied', flow.returnTo);
        req.log.warn({ err: error }, 'OIDC callback refused');
        return refuse(res, 'failed', flow.returnTo);
      }
      const account = await accountForOidc(ctx, identity);
      if (account.outcome === 'refused') {
        req.log.info({ reason: account.reason, issuer: identity.issuer }, 'OIDC sign-in without an account');
        return refuse(res, account.reason, flow.returnTo);
      }
      const signIn = await sessionOrChallenge(ctx, account.user.id, sessionClient(req));
      if (signIn.outcome === 'challenge') {
        // In the fragment, which never reaches a server or a log; the page sends it with the code.
        const query = flow.returnTo === '/' ? '' : `?${new URLSearchParams({ redirect: flow.returnTo })}`;
        return res.redirect(302, `/signin${query}#totp=${signIn.challenge}`);
      }
      setRefreshCookie(res, signIn.session.refreshToken);
      res.redirect(302, flow.returnTo);
    },
  );

  return routes;
}
