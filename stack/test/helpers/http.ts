/** HTTP(S) requests to the stack's published ports, with the Host/SNI of its domain and no CA check (self-signed). */
import http from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Subject and issuer of the certificate served (HTTPS only). */
  certificate?: { subject: string; issuer: string; serial: string };
}

export interface Edge {
  domain: string;
  httpPort: number;
  httpsPort: number;
}

const agent = new https.Agent({ keepAlive: true, maxSockets: 32, rejectUnauthorized: false });

/** One request to the stack; `scheme` picks the published port. Network errors reject. */
export function request(
  edge: Edge,
  path: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: unknown;
    scheme?: 'http' | 'https';
    fresh?: boolean;
  } = {},
): Promise<Reply> {
  const scheme = options.scheme ?? 'https';
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = (scheme === 'https' ? https : http).request(
      {
        host: '127.0.0.1',
        port: scheme === 'https' ? edge.httpsPort : edge.httpPort,
        path,
        method: options.method ?? 'GET',
        servername: edge.domain,
        rejectUnauthorized: false,
        agent:
          scheme === 'https'
            ? options.fresh
              ? new https.Agent({ rejectUnauthorized: false })
              : agent
            : undefined,
        timeout: 15_000,
        headers: {
          host: edge.domain,
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
      },
      (res) => {
        // Read the certificate now: with keep-alive the socket returns to the pool before 'end'.
        const peer = scheme === 'https' ? (res.socket as TLSSocket).getPeerCertificate() : undefined;
        const certificate = peer?.subject
          ? {
              subject: String(peer.subject.CN ?? ''),
              issuer: String(peer.issuer.CN ?? ''),
              serial: peer.serialNumber,
            }
          : undefined;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            certificate,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${options.method ?? 'GET'} ${path}`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** JSON API call through nginx; returns status and parsed body. */
export async function api<T = Record<string, unknown>>(
  edge: Edge,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: T; headers: http.IncomingHttpHeaders }> {
  const reply = await request(edge, `/api/v1${path}`, {
    method,
    body: options.body,
    headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
  });
  let parsed: unknown = reply.body;
  try {
    parsed = reply.body ? JSON.parse(reply.body) : undefined;
  } catch {
    // Not JSON (e.g. nginx's own error page): keep the text for the assertion message.
  }
  return { status: reply.status, body: parsed as T, headers: reply.headers };
}

/**
 * Sends `perSecond` requests a second from this one address, each on its own schedule (a slow answer does not delay
 * the next), until stopped; counts answers that are not 2xx and network errors. A team's traffic, not a flood.
 */
export function startLoad(edge: Edge, path: string, token: string, perSecond = 5) {
  const stats = { ok: 0, failed: 0, failures: [] as string[] };
  const inFlight = new Set<Promise<void>>();
  const one = async () => {
    try {
      // A new connection each time: a failure is then the server's, never a keep-alive socket the client reused just
      // as nginx closed it (a race browsers retry silently, and Node's agent does not).
      const reply = await request(edge, path, { headers: { authorization: `Bearer ${token}` }, fresh: true });
      if (reply.status >= 200 && reply.status < 300) stats.ok += 1;
      else {
        stats.failed += 1;
        stats.failures.push(`${reply.status} ${reply.body.slice(0, 120)}`);
      }
    } catch (error) {
      stats.failed += 1;
      stats.failures.push((error as Error).message);
    }
  };
  const timer = setInterval(() => {
    const sent = one().finally(() => inFlight.delete(sent));
    inFlight.add(sent);
  }, 1000 / perSecond);
  return {
    stats,
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
      return stats;
    },
  };
}
