// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import { reply, startServer } from '../testing/server.js';
import { AuthService } from './auth.js';
import { ApiError, PROBLEM_TYPES } from './errors.js';
import { ENDPOINTS } from './endpoints.js';
import { HttpClient } from './http.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

const user = { id: 'u1', email: 'a@b.c', name: 'A', isInstanceAdmin: false };

describe('two-factor sign-in', () => {
  it('turns a totp-required problem into a challenge, which a code turns into a session', async () => {
    const seen: string[] = [];
    const server = await startServer((req, res, body) => {
      seen.push(`${req.url} ${req.headers.authorization ?? ''}`);
      if (req.url === '/api/v1/auth/login') {
        return reply(res, 401, {
          type: PROBLEM_TYPES.totpRequired,
          title: 'Two-factor code required',
          status: 401,
          detail: 'Enter the code from your authenticator app.',
          challenge: 'ch-1',
          expiresInSeconds: 300,
        });
      }
      if (req.url === '/api/v1/auth/totp') {
        expect(JSON.parse(body)).toEqual({ challenge: 'ch-1', code: '123456' });
        return reply(res, 200, { user, accessToken: 'signed-in' });
      }
      reply(res, 200, user);
    });
    close = server.close;
    const http = new HttpClient();
    http.configure(`${server.url}/api/v1`);
    const auth = new AuthService(http);

    expect(await auth.login({ email: 'a@b.c', password: 'pw' })).toEqual({ challenge: 'ch-1' });
    expect(http.hasToken).toBe(false);
    expect(await auth.loginWithTotp('ch-1', '123456')).toMatchObject({ id: 'u1' });
    await http.call(ENDPOINTS.me);
    expect(seen.at(-1)).toBe('/api/v1/me Bearer signed-in');
  });

  it('tells problem listeners the type, so a workspace requiring two-factor can lead to enrolment', async () => {
    const server = await startServer((_req, res) =>
      reply(res, 403, {
        type: PROBLEM_TYPES.totpEnrolmentRequired,
        title: 'Two-factor sign-in required',
        status: 403,
        detail: 'This workspace requires two-factor sign-in.',
      }),
    );
    close = server.close;
    const http = new HttpClient();
    http.configure(`${server.url}/api/v1`);
    const problems: ApiError[] = [];
    http.onProblem((problem) => problems.push(problem));
    await expect(http.call(ENDPOINTS.listWorkspaces)).rejects.toMatchObject({ status: 403 });
    expect(problems.map((p) => p.type)).toEqual([PROBLEM_TYPES.totpEnrolmentRequired]);
  });
});
