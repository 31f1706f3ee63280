import { unprocessable } from '../../errors.js';

/**
 * The address a webhook may have: absolute, http(s), without credentials (they would sit in the database and in
 * every log line that prints the URL; receivers check the signature instead) and without a fragment (never sent).
 * Where it resolves to is the worker's check, made at each delivery, after DNS resolution.
 */
export function checkWebhookUrl(value: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw unprocessable('url', 'must be an absolute URL such as https://example.com/hooks');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw unprocessable('url', 'must start with https:// or http://');
  }
  if (parsed.username || parsed.password)
    throw unprocessable('url', 'must not contain a user name or password');
  if (parsed.hash) throw unprocessable('url', 'must not contain a #fragment');
  if (!parsed.hostname) throw unprocessable('url', 'must name a host');
  return parsed.href;
}
