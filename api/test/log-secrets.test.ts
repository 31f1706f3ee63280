import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './harness.js';

let api: TestApi;
const lines: string[] = [];
beforeAll(async () => {
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  api = await startTestApi({ LOG_LEVEL: 'info' }, { logDestination: destination });
});
afterAll(() => api.close());

const logged = () => lines.join('');

describe('API logs', () => {
  it('hold no invitation, reset, verification tokens or OIDC codes from URLs', async () => {
    await api.call('GET', '/api/v1/invitations/SECRETinvite1');
    await api.call('POST', '/api/v1/invitations/SECRETinvite2/accept');
    await api.call('GET', '/invitations/SECRETinvite3');
    await api.call('GET', '/reset-password?token=SECRETreset');
    await api.call('GET', '/verify-email?x=1&token=SECRETverify');
    await api.call('GET', '/api/v1/events?access_token=SECRETaccess');
    await api.call('GET', '/api/v1/auth/oidc/callback?code=SECRETcode&state=SECRETstate&iss=x');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(logged()).toContain('/api/v1/invitations/[redacted]/accept');
    expect(logged()).toContain('/verify-email?x=1&token=[redacted]');
    expect(logged()).toContain('/api/v1/auth/oidc/callback?code=[redacted]&state=[redacted]&iss=x');
    expect(logged()).not.toContain('SECRET');
  });

  it('hold no SQL statements or parameters of failed queries', async () => {
    const error = await api.context.sequelize
      .query('SELECT $1::int AS n', { bind: ['SECRETparameter'] })
      .catch((e: unknown) => e);
    api.context.logger.error({ err: error }, 'query failed');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const line = lines.find((l) => l.includes('query failed'))!;
    expect(JSON.parse(line).err).toMatchObject({ type: 'SequelizeDatabaseError', code: '22P02' });
    expect(line).not.toContain('SECRET');
    expect(line).not.toContain('SELECT');
  });

  it('hold no statement, parameters or row values of a database error a request failed on', async () => {
    // A constraint of this test only: the insert of a registration fails on it, and Postgres' detail quotes the row.
    await api.context.sequelize.query(
      "ALTER TABLE users ADD CONSTRAINT log_test_check CHECK (email NOT LIKE 'secret%')",
    );
    const response = await api.call('POST', '/api/v1/auth/register', {
      body: { email: 'secretperson@example.com', password: 'correct horse battery', name: 'SECRETname' },
    });
    expect(response.status).toBe(500);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const line = lines.find((l) => l.includes('unhandled error'))!;
    expect(JSON.parse(line).err).toMatchObject({ code: '23514', constraint: 'log_test_check' });
    expect(line).not.toContain('secretperson');
    expect(line).not.toContain('SECRETname');
  });
});
