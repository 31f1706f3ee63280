import { ApiError, problemFrom } from './errors.js';
import type { Endpoint } from './endpoints.js';

type Query = Record<string, string | number | boolean | undefined | null>;
export type CallOptions = {
  params?: Record<string, string>;
  query?: Query;
  /** JSON body; a FormData is sent as multipart as is. */
  body?: unknown;
  signal?: AbortSignal;
  /** Extra request headers (e.g. Last-Event-ID). */
  headers?: Record<string, string>;
};

/** Fills `{name}` placeholders and appends the query, dropping empty values. */
export function buildPath(template: string, params: Record<string, string> = {}, query: Query = {}): string {
  const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

/**
 * The one fetch wrapper every service goes through. It holds the access token in memory only (never storage), adds
 * it as a bearer header, and on a 401 refreshes it once through the httpOnly cookie — concurrent 401s share one
 * refresh — before giving up and announcing that the session ended.
 */
export class HttpClient {
  baseUrl = '/api/v1';
  private accessToken: string | null = null;
  private refreshing: Promise<boolean> | null = null;
  private expiredListeners = new Set<() => void>();
  private problemListeners = new Set<(problem: ApiError) => void>();

  constructor(private readonly fetcher: typeof fetch = (...args) => fetch(...args)) {}

  /** Points the client at the API named by /config.json. */
  configure(baseUrl: string): void {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  setAccessToken(token: string | null): void {
    this.accessToken = token;
  }

  get hasToken(): boolean {
    return this.accessToken !== null;
  }

  /** Called when a refresh fails: the store sends the person back to sign-in. */
  onSessionExpired(listener: () => void): () => void {
    this.expiredListeners.add(listener);
    return () => this.expiredListeners.delete(listener);
  }

  /** Called with every problem the API answers, for app-wide reactions (a workspace that requires two-factor). */
  onProblem(listener: (problem: ApiError) => void): () => void {
    this.problemListeners.add(listener);
    return () => this.problemListeners.delete(listener);
  }

  /** Calls an endpoint and returns its parsed JSON (undefined for 204). */
  async call<T>(endpoint: Endpoint, options: CallOptions = {}): Promise<T> {
    const response = await this.send(endpoint, options);
    if (response.status === 204 || response.status === 205) return undefined as T;
    const type = response.headers.get('content-type') ?? '';
    return (type.includes('json') ? await response.json() : await response.text()) as T;
  }

  /** Like `call`, but hands back the successful Response itself (downloads, event streams). */
  async send(endpoint: Endpoint, options: CallOptions = {}): Promise<Response> {
    let response = await this.attempt(endpoint, options);
    if (response.status === 401 && this.accessToken !== null && !endpoint.includes(' /auth/')) {
      if (await this.refresh()) response = await this.attempt(endpoint, options);
      else this.expire();
    }
    if (!response.ok) {
      const problem = await problemFrom(response);
      for (const listener of this.problemListeners) listener(problem);
      throw problem;
    }
    return response;
  }

  /**
   * Trades the refresh cookie for a new access token. One refresh at a time: the API rotates the cookie, so two
   * parallel refreshes would look like token reuse and end the session.
   */
  refresh(): Promise<boolean> {
    this.refreshing ??= (async () => {
      try {
        const response = await this.fetcher(`${this.baseUrl}/auth/refresh`, {
          method: 'POST',
          credentials: 'include',
          headers: { Accept: 'application/json' },
        });
        if (!response.ok) return false;
        const body = (await response.json()) as { accessToken?: string };
        if (!body.accessToken) return false;
        this.accessToken = body.accessToken;
        return true;
      } catch {
        return false;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private expire(): void {
    this.accessToken = null;
    for (const listener of this.expiredListeners) listener();
  }

  private attempt(endpoint: Endpoint, options: CallOptions): Promise<Response> {
    const space = endpoint.indexOf(' ');
    const method = endpoint.slice(0, space);
    const path = buildPath(endpoint.slice(space + 1), options.params, options.query);
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (this.accessToken) headers.Authorization = `Bearer ${this.accessToken}`;
    let body: BodyInit | undefined;
    if (options.body instanceof FormData) body = options.body;
    else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    return this.fetcher(`${this.baseUrl}${path}`, {
      method,
      headers,
      body,
      signal: options.signal,
      credentials: 'include',
    }).catch((error: unknown) => {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError(0, 'Network error', 'Cannot reach the server. Check your connection.');
    });
  }
}
