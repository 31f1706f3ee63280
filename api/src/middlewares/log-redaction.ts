const REDACTED = '[redacted]';

/**
 * Hides the secrets a URL can carry before it is logged: `access_token` (the event stream accepts it in the query),
 * `token` (the web app's reset and verify-email links, served by the API under `npm start`), the OIDC callback's
 * `code` and `state` (`/api/v1/auth/oidc/callback`: a code is worth a sign-in until used), and the invitation
 * token and the iCal feed's secret that are path segments (`/invitations/:token`, `/api/v1/invitations/:token/accept`,
 * `/api/v1/calendar/:token.ics`).
 */
export function redactUrl(url: string): string {
  return url
    .replace(/([?&](?:access_token|token|code|state)=)[^&#]*/gi, `$1${REDACTED}`)
    .replace(/^((?:\/api\/v1)?\/invitations\/)[^/?#]+/i, `$1${REDACTED}`)
    .replace(/^((?:\/api\/v1)?\/calendar\/)[^/?#]+/i, `$1${REDACTED}`);
}

type LoggedRequest = { id?: unknown; method?: string; url?: string; [key: string]: unknown };

/**
 * pino-http's request serializer: the request id, method and URL (its tokens hidden) — no headers or query
 * object. pino-http binds it to every request's child logger as the request arrives, whether or not anything is
 * logged, so it stays this small; the query is in the URL already.
 */
export function redactLoggedRequest(req: LoggedRequest): { id: unknown; method?: string; url?: string } {
  return { id: req.id, method: req.method, url: req.url && redactUrl(req.url) };
}
