import * as oidc from 'openid-client';
import type { ApiConfig } from '../config.js';

/** What a successful sign-in at the provider proves: who (issuer + subject), and what it says of their address. */
export type OidcIdentity = {
  issuer: string;
  subject: string;
  email: string | undefined;
  /** Only a boolean `true` from the provider counts: a string "true" or a missing claim is no proof. */
  emailVerified: boolean;
  name: string | undefined;
};

/** The secrets of one sign-in in flight, kept on our side between the redirect out and the callback. */
export type OidcChecks = { state: string; nonce: string; codeVerifier: string };

type OidcSettings = Pick<ApiConfig, 'OIDC_ISSUER' | 'OIDC_CLIENT_ID' | 'OIDC_CLIENT_SECRET' | 'PUBLIC_URL'>;

const CALLBACK_PATH = '/api/v1/auth/oidc/callback';
/** The provider must answer discovery, token and userinfo requests in this many seconds. */
const TIMEOUT_SECONDS = 10;

/**
 * The relying party, on openid-client: discovery (once, retried after a failure), authorization code with PKCE,
 * and the checks of the callback — `state`, the code exchange, the id_token's signature against the provider's
 * JWKS (non-repudiation checks: the library alone would trust the TLS channel), issuer, audience, expiry and
 * `nonce`.
 */
export class OidcClient {
  readonly redirectUri: string;
  private configuration: Promise<oidc.Configuration> | undefined;

  constructor(private readonly settings: OidcSettings & { OIDC_ISSUER: string }) {
    this.redirectUri = new URL(CALLBACK_PATH, settings.PUBLIC_URL).href;
  }

  private discover(): Promise<oidc.Configuration> {
    const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET } = this.settings;
    const issuer = new URL(OIDC_ISSUER);
    // The config check allows http only for a provider on this host.
    const insecure = issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [];
    this.configuration ??= oidc
      .discovery(issuer, OIDC_CLIENT_ID!, OIDC_CLIENT_SECRET, undefined, {
        execute: [...insecure, oidc.enableNonRepudiationChecks],
        timeout: TIMEOUT_SECONDS,
      })
      .catch((error: unknown) => {
        // A provider that was down at the first sign-in is asked again at the next.
        this.configuration = undefined;
        throw error;
      });
    return this.configuration;
  }

  /** New secrets for a sign-in and the provider's authorization URL that carries them (PKCE S256). */
  async begin(): Promise<{ url: URL; checks: OidcChecks }> {
    const config = await this.discover();
    const checks = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
    };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: 'openid email profile',
      state: checks.state,
      nonce: checks.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url, checks };
  }

  /**
   * Completes a sign-in from the callback's query: any failed check throws. The address comes from the id_token,
   * or from the userinfo endpoint for providers that keep it there.
   */
  async complete(query: URLSearchParams, checks: OidcChecks): Promise<OidcIdentity> {
    const config = await this.discover();
    const callback = new URL(this.redirectUri);
    callback.search = query.toString();
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      pkceCodeVerifier: checks.codeVerifier,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    let profile: Record<string, unknown> = claims;
    if (typeof claims.email !== 'string') {
      profile = { ...(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)), ...claims };
    }
    const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
    return {
      issuer: claims.iss,
      subject: claims.sub,
      email: text(profile.email)?.toLowerCase(),
      emailVerified: profile.email_verified === true,
      name: text(profile.name) ?? text(profile.preferred_username),
    };
  }
}

/** Whether a failure is the provider's answer to the person (they cancelled, or it refused them). */
export function providerRefusal(error: unknown): string | undefined {
  return error instanceof oidc.AuthorizationResponseError ? error.error : undefined;
}
