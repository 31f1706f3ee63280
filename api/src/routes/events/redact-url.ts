const REDACTED = '[redacted]';

/** Hides `access_token` in a logged URL: the event stream accepts it in the query, and logs must not hold tokens. */
export function redactAccessToken(url: string): string {
  return url.replace(/([?&]access_token=)[^&#]*/g, `$1${REDACTED}`);
}

type LoggedRequest = { url?: string; query?: Record<string, unknown> };

/** pino-http's request serializer step: the logged URL and query without the stream's `access_token`. */
export function redactLoggedRequest<R extends LoggedRequest>(req: R): R {
  const query =
    req.query && 'access_token' in req.query ? { ...req.query, access_token: REDACTED } : req.query;
  return { ...req, url: req.url && redactAccessToken(req.url), query };
}
