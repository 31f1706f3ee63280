const REDACTED = '[redacted]';

/** Hides `access_token` in a logged URL: the event stream accepts it in the query, and logs must not hold tokens. */
export function redactAccessToken(url: string): string {
  return url.replace(/([?&]access_token=)[^&#]*/g, `$1${REDACTED}`);
}

type LoggedRequest = { id?: unknown; method?: string; url?: string; [key: string]: unknown };

/**
 * pino-http's request serializer: the request id, method and URL (the stream's `access_token` hidden) — no
 * headers or query object. pino-http binds it to every request's child logger as the request arrives, whether
 * or not anything is logged, so it stays this small; the query is in the URL already.
 */
export function redactLoggedRequest(req: LoggedRequest): { id: unknown; method?: string; url?: string } {
  return { id: req.id, method: req.method, url: req.url && redactAccessToken(req.url) };
}
