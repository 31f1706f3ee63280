import { DataKeyring } from '@taskstack/db';
import { sealLegacyTotpSecret, storeLegacyTotpSecret } from '@taskstack/db/testing';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../../test/harness.js';
import { codeOf, twoFactorClient } from '../../../test/two-factor.js';

// TOTP secrets sealed with DATA_ENCRYPTION_KEY, bound to their user: how they survive restarts of the API with the
// settings of an upgrade (the legacy key) and of a key rotation.
const newKey = () => randomBytes(32).toString('base64url');
const OLD = newKey();
const NEW = newKey();
const JWT_SECRET = newKey();

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ DATA_ENCRYPTION_KEY: OLD, JWT_SECRET });
});
afterAll(() => api?.close());

const client = twoFactorClient(() => api);

/** The API restarted on the same database with these settings; closed by `use` when done. */
async function restarted(env: Record<string, string>, use: (on: TestApi) => Promise<void> = async () => {}) {
  const on = await startTestApi({ DATABASE_URL: api.config.DATABASE_URL, JWT_SECRET, ...env });
  try {
    await use(on);
  } finally {
    await on.close();
  }
}

const storedSecret = async (userId: string) => {
  const { rows } = await api.context.sql.query(`SELECT secret_encrypted FROM user_totp WHERE user_id = $1`, [
    userId,
  ]);
  return rows[0]!.secret_encrypted as string;
};
const setStoredSecret = (userId: string, value: string) =>
  api.context.sql.query(`UPDATE user_totp SET secret_encrypted = $2 WHERE user_id = $1`, [userId, value]);

/** Signs in with the password, then a code of `secret`, through `on`; the status of the second step. */
async function signInWith(on: TestApi, account: { email: string; password: string }, secret: string) {
  const { challengeOf, secondStep } = twoFactorClient(() => on);
  return (await secondStep(await challengeOf(account), codeOf(secret))).status;
}

describe('TOTP secrets at rest', () => {
  it('enrolled under the legacy key (JWT_SECRET) are re-sealed by start-up and still verify codes', async () => {
    const account = await client.enrolled();
    // The row as the API before the keyring left it: sealed under JWT_SECRET, TOTP_ENCRYPTION_KEY being unset.
    await storeLegacyTotpSecret(
      api.context.sql,
      account.user.id,
      sealLegacyTotpSecret(account.secret, JWT_SECRET),
    );
    await restarted({ DATA_ENCRYPTION_KEY: OLD });
    expect(await storedSecret(account.user.id)).toMatch(
      new RegExp(`^enc:v1:${new DataKeyring([OLD]).currentKeyId}:`),
    );
    expect(await signInWith(api, account, account.secret)).toBe(200);
  });

  it('enrolled under TOTP_ENCRYPTION_KEY are re-sealed with it, after which neither legacy key is needed', async () => {
    const account = await client.enrolled();
    const legacyKey = newKey();
    await storeLegacyTotpSecret(
      api.context.sql,
      account.user.id,
      sealLegacyTotpSecret(account.secret, legacyKey),
    );
    await restarted({ DATA_ENCRYPTION_KEY: OLD, TOTP_ENCRYPTION_KEY: legacyKey });
    expect(await storedSecret(account.user.id)).toMatch(/^enc:v1:/);
    await restarted({ DATA_ENCRYPTION_KEY: OLD, JWT_SECRET: newKey() }, async (on) => {
      expect(await signInWith(on, account, account.secret)).toBe(200);
    });
  });

  it('copied onto another user do not open there: no session from the codes of the first, a 401', async () => {
    const [alice, bob] = [await client.enrolled(), await client.enrolled()];
    await setStoredSecret(bob.user.id, await storedSecret(alice.user.id));
    const res = await client.secondStep(await client.challengeOf(bob), codeOf(alice.secret));
    // As a wrong code: the caller learns nothing of the row, and no request fails on it.
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(res.headers.getSetCookie()).toEqual([]);
    // A recovery code still signs the person in.
    const recovery = await client.secondStep(await client.challengeOf(bob), bob.recoveryCodes[0]!);
    expect(recovery.status).toBe(200);
    // What an admin's reset does; left, the row would keep the rotation below from dropping its key.
    await api.context.sql.query(`DELETE FROM user_totp WHERE user_id = $1`, [bob.user.id]);
  });

  it('survive a rotation of DATA_ENCRYPTION_KEY: new,old at start-up, then new alone', async () => {
    const account = await client.enrolled();
    await restarted({ DATA_ENCRYPTION_KEY: `${NEW},${OLD}` });
    expect(await storedSecret(account.user.id)).toMatch(
      new RegExp(`^enc:v1:${new DataKeyring([NEW]).currentKeyId}:`),
    );
    await restarted({ DATA_ENCRYPTION_KEY: NEW }, async (on) => {
      expect(await signInWith(on, account, account.secret)).toBe(200);
    });
  });
});
