import type { HttpClient } from './http.js';
import { ENDPOINTS as E } from './endpoints.js';
import type {
  ApiToken,
  ApiTokenInput,
  CreatedApiToken,
  SignInSession,
  TotpEnrolment,
  TotpStatus,
} from './types.js';

/** The signed-in account's sessions, personal API tokens and two-factor sign-in. */
export class AccountService {
  constructor(private readonly http: HttpClient) {}

  sessions(): Promise<SignInSession[]> {
    return this.http.call<{ items: SignInSession[] }>(E.listSessions).then((r) => r.items);
  }
  endSession(id: string): Promise<void> {
    return this.http.call(E.endSession, { params: { id } });
  }
  tokens(): Promise<ApiToken[]> {
    return this.http.call<{ items: ApiToken[] }>(E.listApiTokens).then((r) => r.items);
  }
  createToken(input: ApiTokenInput): Promise<CreatedApiToken> {
    return this.http.call(E.createApiToken, { body: input });
  }
  revokeToken(id: string): Promise<void> {
    return this.http.call(E.revokeApiToken, { params: { id } });
  }
  totp(): Promise<TotpStatus> {
    return this.http.call(E.totpStatus);
  }
  startTotp(): Promise<TotpEnrolment> {
    return this.http.call(E.startTotp);
  }
  /** Turns two-factor on; answers the recovery codes, which the API shows only this once. */
  confirmTotp(code: string): Promise<string[]> {
    return this.http
      .call<{ recoveryCodes: string[] }>(E.confirmTotp, { body: { code } })
      .then((r) => r.recoveryCodes);
  }
  /** `password` undefined for an account without one (status.passwordRequired false). */
  disableTotp(password: string | undefined, code: string): Promise<void> {
    return this.http.call(E.disableTotp, { body: { password, code } });
  }
}
