import {
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
} from 'jose';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';

/** What an account at the provider says of itself (the standard claims the relying party reads). */
export type OidcAccount = { email?: string; email_verified?: unknown; name?: string };

export type OidcClientRegistration = { clientId: string; clientSecret: string; redirectUris: string[] };

/** Rewrites the claims of the next id_token the token endpoint issues; the result is signed with the real key. */
type IdTokenRewrite =
  | { kind: 'claims'; change: (claims: Record<string, unknown>) => Record<string, unknown> }
  | { kind: 'raw'; change: (idToken: string) => string };

const page = (body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head>` +
  `<body><main>${body}</main></body></html>`;
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * A real, certified OpenID Connect provider (the `oidc-provider` package) on loopback, for tests and demos:
 * discovery, authorization code with PKCE, signed id_tokens (RS256, its own key), userinfo. Its sign-in page
 * takes an account name from `accounts` (no password) and grants every requested scope. `rewriteNextIdToken`
 * lets a test hand the relying party a tampered token, or a validly signed one with claims it must refuse.
 */
export class OidcTestProvider {
  readonly accounts = new Map<string, OidcAccount>();
  private rewrite: IdTokenRewrite | undefined;
  /** Both unset until `configure`: the port is held and every request answers 503. */
  private provider: Provider | undefined;
  private callback: ReturnType<Provider['callback']> | undefined;

  private constructor(
    readonly issuer: string,
    private readonly server: Server,
    private readonly signingKey: CryptoKey,
    /** The signing key as the provider takes it (a private JWK), with its key id. */
    private readonly jwk: JWK & { kid: string },
  ) {}

  /** Listens and configures at once, for a caller that knows its clients' redirect URIs already. */
  static async start(options: {
    clients: OidcClientRegistration[];
    accounts?: Record<string, OidcAccount>;
  }): Promise<OidcTestProvider> {
    const test = await OidcTestProvider.listen();
    test.configure(options);
    return test;
  }

  /**
   * Takes a port of its own (the system's pick, so nothing else can take it in between) and so fixes the issuer,
   * before the clients exist: an app needs the issuer in its settings to start, and the provider needs the started
   * app's redirect URI. `configure` completes it.
   */
  static async listen(): Promise<OidcTestProvider> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = randomBytes(8).toString('hex');
    const jwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
    const test = new OidcTestProvider(`http://127.0.0.1:${port}`, server, privateKey, jwk);
    server.on('request', (req, res) => test.handle(req, res));
    return test;
  }

  /** Registers the clients and accounts; from then on the provider answers. */
  configure(options: { clients: OidcClientRegistration[]; accounts?: Record<string, OidcAccount> }): void {
    for (const [name, account] of Object.entries(options.accounts ?? {})) this.accounts.set(name, account);
    const configuration: Configuration = {
      clients: options.clients.map((client) => ({
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: client.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      })),
      jwks: { keys: [this.jwk] },
      cookies: { keys: [randomBytes(16).toString('hex')] },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      features: { devInteractions: { enabled: false } },
      // Short lives for everything it issues (also keeps the library from warning about its defaults).
      ttl: {
        Interaction: 600,
        Session: 600,
        Grant: 600,
        AccessToken: 600,
        IdToken: 600,
        AuthorizationCode: 60,
      },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      findAccount: (_ctx, sub) => {
        const account = this.accounts.get(sub);
        return account && { accountId: sub, claims: () => ({ sub, ...account }) };
      },
    };
    const provider = new Provider(this.issuer, configuration);
    provider.use(async (ctx, next) => {
      await next();
      const body = ctx.body as { id_token?: string } | undefined;
      if (ctx.path === '/token' && body?.id_token && this.rewrite) {
        ctx.body = { ...body, id_token: await this.applyRewrite(body.id_token) };
      }
    });
    this.provider = provider;
    this.callback = provider.callback();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (!this.callback) {
      res.statusCode = 503;
      res.end('not configured yet');
      return;
    }
    const interaction = /^\/interaction\/([\w-]+)(\/login)?$/.exec(req.url ?? '');
    if (!interaction) return void this.callback(req, res);
    this.interact(this.provider!, req, res, interaction[2] !== undefined).catch((error: unknown) => {
      res.statusCode = 400;
      res.end(page(`<p>${escape(String(error))}</p>`));
    });
  }

  /** The sign-in page, and its form's answer: the account signs in and consents to what was asked. */
  private async interact(provider: Provider, req: IncomingMessage, res: ServerResponse, submitted: boolean) {
    const details = await provider.interactionDetails(req, res);
    if (!submitted) {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(
        page(
          `<h1>Test identity provider</h1><form method="post" action="/interaction/${details.uid}/login">` +
            `<label for="login">Account</label> <input id="login" name="login" autocomplete="username" required>` +
            ` <button type="submit">Continue</button></form>`,
        ),
      );
      return;
    }
    const accountId = (await formBody(req)).get('login') ?? '';
    if (!this.accounts.has(accountId)) throw new Error(`no account ${accountId}`);
    const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  private async applyRewrite(idToken: string): Promise<string> {
    const rewrite = this.rewrite!;
    this.rewrite = undefined;
    if (rewrite.kind === 'raw') return rewrite.change(idToken);
    const header = decodeProtectedHeader(idToken);
    return new SignJWT(rewrite.change(decodeJwt(idToken)) as Record<string, unknown>)
      .setProtectedHeader({ alg: header.alg!, kid: this.jwk.kid, typ: header.typ })
      .sign(this.signingKey);
  }

  /** The next id_token gets these claims instead, signed with the provider's own key (so only the claims are wrong). */
  rewriteNextIdTokenClaims(change: (claims: Record<string, unknown>) => Record<string, unknown>): void {
    this.rewrite = { kind: 'claims', change };
  }

  /** The next id_token is replaced by `change(idToken)` as is: a tampered token whose signature no longer fits. */
  tamperNextIdToken(change: (idToken: string) => string): void {
    this.rewrite = { kind: 'raw', change };
  }

  /**
   * What a browser does at the provider, over HTTP: follows `authorizationUrl` to the sign-in page, signs in as
   * `accountId`, and returns where the provider sends it back (the relying party's callback with code and state).
   */
  async signIn(authorizationUrl: string, accountId: string): Promise<URL> {
    const jar = new Map<string, string>();
    const go = async (url: string, init: RequestInit = {}) => {
      const response = await fetch(url, {
        ...init,
        redirect: 'manual',
        headers: { ...init.headers, cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      for (const cookie of response.headers.getSetCookie()) {
        const [pair] = cookie.split(';');
        const at = pair!.indexOf('=');
        jar.set(pair!.slice(0, at), pair!.slice(at + 1));
      }
      return response;
    };
    let response = await go(authorizationUrl);
    for (let hops = 0; hops < 10; hops++) {
      const location = response.headers.get('location');
      if (!location) throw new Error(`provider answered ${response.status} without a redirect`);
      const next = new URL(location, response.url || authorizationUrl);
      if (next.origin !== this.issuer) return next;
      if (next.pathname.startsWith('/interaction/')) {
        await go(next.href);
        response = await go(`${next.href}/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ login: accountId }).toString(),
        });
      } else {
        response = await go(next.href);
      }
    }
    throw new Error('too many redirects at the provider');
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }
}
