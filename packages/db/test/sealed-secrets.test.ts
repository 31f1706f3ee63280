import { ConfigError } from '@taskstack/config';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DataKeyring, sealPendingSecrets, SealedValueError } from '../src/index.js';
import {
  insertWebhook,
  openWebhookSecret,
  setWebhookSecret,
  startTotpEnrolment,
  tryOpenTotpSecret,
} from '../src/repositories/index.js';
import { createTestDatabase, sealLegacyTotpSecret, storeLegacyTotpSecret } from '../src/testing/index.js';

const newKey = () => randomBytes(32).toString('base64url');
const OLD = newKey();
const NEW = newKey();

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: pg.Pool;
let workspaceId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO workspaces (name) VALUES ('W') RETURNING id`,
  );
  workspaceId = rows[0]!.id;
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});
beforeEach(() => pool.query('DELETE FROM webhooks; DELETE FROM user_totp'));

const stored = async (id: string) =>
  (await pool.query<{ secret: string }>('SELECT secret FROM webhooks WHERE id = $1', [id])).rows[0]!.secret;

const addWebhook = (keyring: DataKeyring, secret: string) =>
  insertWebhook(pool, keyring, {
    workspaceId,
    url: 'https://hooks.example.com/in',
    description: '',
    events: ['task.created'],
    secret,
    createdBy: null,
  });

describe('the data keyring', () => {
  it('seals with the first key under its id and opens only for the same context', () => {
    const keyring = new DataKeyring([NEW]);
    const sealed = keyring.seal('whsec_abc', 'webhooks.secret:1');
    expect(sealed).toMatch(new RegExp(`^enc:v1:${keyring.currentKeyId}:[\\w-]+:[\\w-]+:[\\w-]+$`));
    expect(sealed).not.toContain('whsec_abc');
    expect(keyring.open(sealed, 'webhooks.secret:1')).toBe('whsec_abc');
    // Moved onto another row, the value does not open.
    expect(() => keyring.open(sealed, 'webhooks.secret:2')).toThrow(SealedValueError);
    // Nor when altered.
    const altered = sealed.slice(0, -2) + (sealed.endsWith('AA') ? 'BB' : 'AA');
    expect(() => keyring.open(altered, 'webhooks.secret:1')).toThrow(/does not open/);
  });

  it('opens what an older key sealed when that key follows the new one, and nothing without it', () => {
    const old = new DataKeyring([OLD]);
    const sealed = old.seal('whsec_old', 'c');
    const rotating = new DataKeyring([NEW, OLD]);
    expect(rotating.currentKeyId).not.toBe(old.currentKeyId);
    expect(rotating.open(sealed, 'c')).toBe('whsec_old');
    expect(rotating.seal('x', 'c')).toContain(`:${rotating.currentKeyId}:`);
    expect(() => new DataKeyring([NEW]).open(sealed, 'c')).toThrow(
      `c is sealed with key ${old.currentKeyId}, which DATA_ENCRYPTION_KEY does not hold`,
    );
    expect(() => rotating.open('whsec_plain', 'c')).toThrow(/not sealed/);
  });
});

describe('webhook secrets at rest', () => {
  it('are stored sealed, and open to what was issued', async () => {
    const keyring = new DataKeyring([NEW]);
    const webhook = await addWebhook(keyring, 'whsec_issued');
    const column = await stored(webhook.id);
    expect(column).not.toContain('whsec_issued');
    expect(openWebhookSecret(keyring, webhook.id, column)).toBe('whsec_issued');
    await setWebhookSecret(pool, keyring, webhook.id, 'whsec_rotated');
    const rotated = await stored(webhook.id);
    expect(rotated).not.toContain('whsec_rotated');
    expect(openWebhookSecret(keyring, webhook.id, rotated)).toBe('whsec_rotated');
  });

  it('cannot be written in plain text (the constraint of migration 0015)', async () => {
    await addWebhook(new DataKeyring([NEW]), 'whsec_x');
    await expect(pool.query(`UPDATE webhooks SET secret = 'whsec_plain'`)).rejects.toThrow(
      /webhooks_secret_sealed/,
    );
  });

  it('written plain before encryption are sealed at start-up, once', async () => {
    const keyring = new DataKeyring([NEW]);
    const webhook = await addWebhook(keyring, 'whsec_x');
    // A row as 0012 left it: the constraint is NOT VALID, so only rows written since are held to it.
    await pool.query(`ALTER TABLE webhooks DROP CONSTRAINT webhooks_secret_sealed`);
    await pool.query(`UPDATE webhooks SET secret = 'whsec_legacy' WHERE id = $1`, [webhook.id]);
    await pool.query(
      `ALTER TABLE webhooks ADD CONSTRAINT webhooks_secret_sealed CHECK (secret LIKE 'enc:v1:%') NOT VALID`,
    );
    expect((await sealPendingSecrets(pool, keyring)).sealed).toBe(1);
    const column = await stored(webhook.id);
    expect(column.startsWith(`enc:v1:${keyring.currentKeyId}:`)).toBe(true);
    expect(openWebhookSecret(keyring, webhook.id, column)).toBe('whsec_legacy');
    expect((await sealPendingSecrets(pool, keyring)).sealed).toBe(0);
  });

  it('are re-sealed under the new key by a rotation, after which the old key can go', async () => {
    const old = new DataKeyring([OLD]);
    const webhook = await addWebhook(old, 'whsec_kept');
    const rotating = new DataKeyring([NEW, OLD]);
    expect((await sealPendingSecrets(pool, rotating)).sealed).toBe(1);
    const column = await stored(webhook.id);
    expect(column.startsWith(`enc:v1:${rotating.currentKeyId}:`)).toBe(true);
    const newOnly = new DataKeyring([NEW]);
    expect(openWebhookSecret(newOnly, webhook.id, column)).toBe('whsec_kept');
    expect((await sealPendingSecrets(pool, newOnly)).sealed).toBe(0);
  });

  it('that do not open are reported and left as they are, and a rotation re-seals the others', async () => {
    const old = new DataKeyring([OLD]);
    const [moved, kept] = [await addWebhook(old, 'whsec_moved'), await addWebhook(old, 'whsec_kept')];
    // Another webhook's sealed secret copied onto this row: sealed for that row, it does not open on this one.
    await pool.query(`UPDATE webhooks SET secret = $2 WHERE id = $1`, [moved.id, await stored(kept.id)]);
    const movedColumn = await stored(moved.id);
    expect(await sealPendingSecrets(pool, new DataKeyring([NEW, OLD]))).toEqual({
      sealed: 1,
      unopenedTotp: [],
      unopenedWebhooks: [moved.id],
    });
    expect(await stored(moved.id)).toBe(movedColumn);
    expect(openWebhookSecret(new DataKeyring([NEW]), kept.id, await stored(kept.id))).toBe('whsec_kept');
  });

  it('sealed with a key the setting lacks stop start-up with one line naming the setting', async () => {
    const old = new DataKeyring([OLD]);
    const webhook = await addWebhook(old, 'whsec_lost');
    const error = await sealPendingSecrets(pool, new DataKeyring([NEW])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      `DATA_ENCRYPTION_KEY: does not hold key ${old.currentKeyId} (sealed 1 webhook secrets); to rotate, keep the old key after the new one`,
    ]);
    // Nothing was changed: the right key still opens it.
    expect(openWebhookSecret(old, webhook.id, await stored(webhook.id))).toBe('whsec_lost');
  });
});

describe('TOTP secrets at rest', () => {
  const BASE32 = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  const LEGACY_KEY = 'legacy-'.repeat(6);

  const addUser = async () => {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO users (email, name, password_hash) VALUES ($1, 'U', 'x') RETURNING id`,
      [`u-${randomBytes(4).toString('hex')}@example.com`],
    );
    return rows[0]!.id;
  };
  const storedTotp = async (userId: string) =>
    (
      await pool.query<{ secret_encrypted: string }>(
        'SELECT secret_encrypted FROM user_totp WHERE user_id = $1',
        [userId],
      )
    ).rows[0]!.secret_encrypted;
  const setStoredTotp = (userId: string, value: string) =>
    pool.query('UPDATE user_totp SET secret_encrypted = $2 WHERE user_id = $1', [userId, value]);
  it('cannot be written in the old form or in plain text (the constraint of migration 0017)', async () => {
    const userId = await addUser();
    await startTotpEnrolment(pool, new DataKeyring([NEW]), userId, BASE32);
    for (const value of [sealLegacyTotpSecret(BASE32, LEGACY_KEY), BASE32])
      await expect(setStoredTotp(userId, value)).rejects.toThrow(/user_totp_secret_sealed/);
  });

  it('are sealed for their user: copied onto another user, a sealed secret does not open nor stop a rotation', async () => {
    const keyring = new DataKeyring([NEW]);
    const [alice, bob] = [await addUser(), await addUser()];
    await startTotpEnrolment(pool, keyring, alice, BASE32);
    await startTotpEnrolment(pool, keyring, bob, 'KRSXG5CTMVRXEZLU');
    const column = await storedTotp(alice);
    expect(column.startsWith(`enc:v1:${keyring.currentKeyId}:`)).toBe(true);
    expect(tryOpenTotpSecret(keyring, alice, column)).toBe(BASE32);
    await setStoredTotp(bob, column);
    expect(tryOpenTotpSecret(keyring, bob, column)).toBeUndefined();
    // A rotation re-seals the others and reports that row, which it leaves as it is.
    const rotating = new DataKeyring([newKey(), NEW]);
    expect(await sealPendingSecrets(pool, rotating)).toEqual({
      sealed: 1,
      unopenedTotp: [bob],
      unopenedWebhooks: [],
    });
    expect(tryOpenTotpSecret(rotating, alice, await storedTotp(alice))).toBe(BASE32);
    expect(await storedTotp(bob)).toBe(column);
  });

  it('of the old format are re-sealed under the keyring at start-up with the legacy key, once', async () => {
    const keyring = new DataKeyring([NEW]);
    const userId = await addUser();
    await startTotpEnrolment(pool, keyring, userId, 'placeholder');
    await storeLegacyTotpSecret(pool, userId, sealLegacyTotpSecret(BASE32, LEGACY_KEY));
    // The worker holds no legacy key: it leaves such rows to the api.
    expect(await sealPendingSecrets(pool, keyring)).toEqual({
      sealed: 0,
      unopenedTotp: [],
      unopenedWebhooks: [],
    });
    expect(await sealPendingSecrets(pool, keyring, LEGACY_KEY)).toEqual({
      sealed: 1,
      unopenedTotp: [],
      unopenedWebhooks: [],
    });
    const column = await storedTotp(userId);
    expect(column.startsWith(`enc:v1:${keyring.currentKeyId}:`)).toBe(true);
    expect(tryOpenTotpSecret(keyring, userId, column)).toBe(BASE32);
    expect(await sealPendingSecrets(pool, keyring, LEGACY_KEY)).toEqual({
      sealed: 0,
      unopenedTotp: [],
      unopenedWebhooks: [],
    });
  });

  it('of the old format that the legacy key does not open are reported and left as they are', async () => {
    const keyring = new DataKeyring([NEW]);
    const userId = await addUser();
    await startTotpEnrolment(pool, keyring, userId, 'placeholder');
    const legacy = sealLegacyTotpSecret(BASE32, LEGACY_KEY);
    await storeLegacyTotpSecret(pool, userId, legacy);
    expect(await sealPendingSecrets(pool, keyring, 'another-'.repeat(5))).toEqual({
      sealed: 0,
      unopenedTotp: [userId],
      unopenedWebhooks: [],
    });
    expect(await storedTotp(userId)).toBe(legacy);
  });

  it('are re-sealed under the new key by a rotation, and a key replaced instead stops start-up', async () => {
    const old = new DataKeyring([OLD]);
    const [rotated, lost] = [await addUser(), await addUser()];
    await startTotpEnrolment(pool, old, rotated, BASE32);
    expect(await sealPendingSecrets(pool, new DataKeyring([NEW, OLD]))).toEqual({
      sealed: 1,
      unopenedTotp: [],
      unopenedWebhooks: [],
    });
    const newOnly = new DataKeyring([NEW]);
    expect(tryOpenTotpSecret(newOnly, rotated, await storedTotp(rotated))).toBe(BASE32);

    await startTotpEnrolment(pool, old, lost, BASE32);
    await addWebhook(old, 'whsec_lost');
    const error = await sealPendingSecrets(pool, newOnly).catch((e: unknown) => e);
    expect((error as ConfigError).problems).toEqual([
      `DATA_ENCRYPTION_KEY: does not hold key ${old.currentKeyId} (sealed 1 webhook secrets, 1 two-factor secrets); to rotate, keep the old key after the new one`,
    ]);
  });
});
