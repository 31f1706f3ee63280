import { ApiError, PROBLEM_TYPES } from './errors.js';
import type { HttpClient } from './http.js';
import { ENDPOINTS as E } from './endpoints.js';
import type { AuthMethods, Session, User } from './types.js';

/** Accounts and sessions; keeps the client's in-memory token in step with sign-in and sign-out. */
export class AuthService {
  constructor(private readonly http: HttpClient) {}

  async register(input: { email: string; password: string; name: string }): Promise<User> {
    const session = await this.http.call<Session>(E.register, { body: input });
    this.http.setAccessToken(session.accessToken);
    return session.user;
  }

  /**
   * Signs in with the password; an account with two-factor answers a challenge instead, for `loginWithTotp`.
   */
  async login(input: { email: string; password: string }): Promise<User | { challenge: string }> {
    try {
      const session = await this.http.call<Session>(E.login, { body: input });
      this.http.setAccessToken(session.accessToken);
      return session.user;
    } catch (error) {
      if (error instanceof ApiError && error.type === PROBLEM_TYPES.totpRequired) {
        return { challenge: String(error.extensions.challenge) };
      }
      throw error;
    }
  }

  /** The second step of a two-factor sign-in: the challenge and a code from the app or a recovery code. */
  async loginWithTotp(challenge: string, code: string): Promise<User> {
    const session = await this.http.call<Session>(E.signInWithTotp, { body: { challenge, code } });
    this.http.setAccessToken(session.accessToken);
    return session.user;
  }

  /** Which ways in this instance offers (an OIDC provider's button, the password form). */
  methods(): Promise<AuthMethods> {
    return this.http.call<AuthMethods>(E.authMethods);
  }

  /**
   * Where the browser goes to sign in at the OpenID Connect provider: the API redirects there and, once the
   * provider sends the browser back, to `redirect` signed in (the page then resumes from the refresh cookie).
   */
  oidcStartUrl(redirect: string): string {
    const path = E.oidcStart.split(' ')[1]!;
    return `${this.http.baseUrl}${path}?${new URLSearchParams({ redirect })}`;
  }

  /** Resumes a session after a reload from the refresh cookie; null when there is none. */
  async resume(): Promise<User | null> {
    if (!(await this.http.refresh())) return null;
    return this.me();
  }

  me(): Promise<User> {
    return this.http.call<User>(E.me);
  }

  async logout(): Promise<void> {
    try {
      await this.http.call(E.logout);
    } finally {
      this.http.setAccessToken(null);
    }
  }

  forgotPassword(email: string): Promise<void> {
    return this.http.call(E.forgotPassword, { body: { email } });
  }

  resetPassword(token: string, password: string): Promise<void> {
    return this.http.call(E.resetPassword, { body: { token, password } });
  }

  /** Confirms the account's email address with the token of the welcome email's link. */
  verifyEmail(token: string): Promise<void> {
    return this.http.call(E.verifyEmail, { body: { token } });
  }
}
