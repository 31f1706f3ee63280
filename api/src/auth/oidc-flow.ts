import type { CookieOptions, Request, Response } from 'express';
import type { Redis } from 'ioredis';
import type { OidcChecks } from './oidc-client.js';
import { hashOpaqueToken, newOpaqueToken } from './opaque-token.js';

/** A sign-in at the provider must come back within this time. */
export const OIDC_FLOW_TTL_SECONDS = 10 * 60;

const FLOW_COOKIE = 'taskstack_oidc';
/**
 * The callback arrives as a top-level navigation from the provider's site: SameSite=Lax is the strictest setting
 * the browser still sends then. The cookie names the flow; its secrets stay in Redis.
 */
const options: CookieOptions = { httpOnly: true, secure: true, sameSite: 'lax', path: '/api/v1/auth/oidc' };

/** A sign-in in flight: the checks of its callback and where the app goes afterwards. */
export type OidcFlow = OidcChecks & { returnTo: string };

type FlowStore = { redis: Redis; config: { REDIS_PREFIX: string } };

const flowKey = (ctx: FlowStore, id: string) => `${ctx.config.REDIS_PREFIX}:oidc-flow:${hashOpaqueToken(id)}`;

/** Stores a new flow and binds it to this browser with a cookie. */
export async function beginFlow(ctx: FlowStore, res: Response, flow: OidcFlow): Promise<void> {
  const { token } = newOpaqueToken();
  await ctx.redis.set(flowKey(ctx, token), JSON.stringify(flow), 'EX', OIDC_FLOW_TTL_SECONDS);
  res.cookie(FLOW_COOKIE, token, { ...options, maxAge: OIDC_FLOW_TTL_SECONDS * 1000 });
}

/**
 * The flow of this browser's cookie, taken out of the store: a callback works once, so a replayed one (the same
 * URL and cookie again) finds nothing. Undefined without a cookie, after expiry or after use.
 */
export async function takeFlow(ctx: FlowStore, req: Request, res: Response): Promise<OidcFlow | undefined> {
  const value: unknown = (req.cookies as Record<string, unknown> | undefined)?.[FLOW_COOKIE];
  res.clearCookie(FLOW_COOKIE, options);
  if (typeof value !== 'string' || value.length === 0 || value.length > 256) return undefined;
  const stored = await ctx.redis.getdel(flowKey(ctx, value));
  return stored ? (JSON.parse(stored) as OidcFlow) : undefined;
}
