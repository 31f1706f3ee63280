import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { resolvePublicAddress } from './address-guard.js';

/** How much of a receiver's answer is read and kept: enough to show an error page's gist. */
export const SNIPPET_BYTES = 1024;

export type PostResult = { status: number; snippet: string };

/**
 * POSTs `body` to `url` once: the host resolved and checked first, then the connection made to exactly that
 * address (a `lookup` that answers with it). Redirects are not followed (a 3xx is the answer, and a redirect to an
 * inside address would dodge the check); at most SNIPPET_BYTES of the answer are read; `timeoutMs` bounds it all.
 */
export async function postOnce(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; allowPrivate: boolean },
): Promise<PostResult> {
  const target = new URL(url);
  const signal = AbortSignal.timeout(options.timeoutMs);
  const resolved = await Promise.race([
    resolvePublicAddress(target.hostname, options.allowPrivate),
    new Promise<never>((_, reject) =>
      signal.addEventListener('abort', () => reject(new Error(`timed out after ${options.timeoutMs} ms`))),
    ),
  ]);
  const pinned: LookupFunction = (_host, lookupOptions, callback) => {
    if (lookupOptions.all) callback(null, [resolved]);
    else callback(null, resolved.address, resolved.family);
  };
  const client = target.protocol === 'https:' ? https : http;
  return new Promise<PostResult>((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: 'POST',
        agent: false,
        lookup: pinned,
        signal,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () => {
          const snippet = Buffer.concat(chunks).subarray(0, SNIPPET_BYTES).toString('utf8');
          // Postgres text cannot hold NUL; a binary answer is only a curiosity here.
          resolve({ status: response.statusCode ?? 0, snippet: snippet.replaceAll('\0', '\uFFFD') });
        };
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= SNIPPET_BYTES) {
            response.destroy();
            finish();
          }
        });
        response.on('end', finish);
        response.on('error', (error) => (size >= SNIPPET_BYTES ? undefined : reject(error)));
      },
    );
    request.on('error', (error) =>
      reject(signal.aborted ? new Error(`timed out after ${options.timeoutMs} ms`) : error),
    );
    request.end(body);
  });
}
