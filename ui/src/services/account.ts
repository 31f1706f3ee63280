import type { HttpClient } from './http.js';
import { ENDPOINTS as E } from './endpoints.js';
import type { ApiToken, ApiTokenInput, CreatedApiToken, SignInSession } from './types.js';

/** The signed-in account's sessions and personal API tokens. */
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
}
