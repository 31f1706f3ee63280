import { DataKeyring } from '@taskstack/db';
import { insertWebhook } from '@taskstack/db/repositories';
import { createTestDatabase } from '@taskstack/db/testing';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { runToExit } from './entry-points.js';

const reachable = () => ({
  DATABASE_URL: process.env.TEST_DATABASE_SERVER_URL!,
  REDIS_URL: process.env.TEST_REDIS_URL!,
});

const dataKey = () => randomBytes(32).toString('base64url');

describe.each([
  ['api', 'api/src/main.ts', { JWT_SECRET: 'x'.repeat(40), DATA_ENCRYPTION_KEY: dataKey() }],
  [
    'worker',
    'worker/src/main.ts',
    { SMTP_URL: 'smtp://127.0.0.1:2525', MAIL_FROM: 'a@example.com', DATA_ENCRYPTION_KEY: dataKey() },
  ],
])('%s process start-up', (name, entry, required) => {
  it('reports every invalid setting on its own line, naming it, and exits non-zero', () => {
    const { code, lines } = runToExit(entry, {
      ...reachable(),
      ...required,
      DATABASE_URL: 'mysql://x',
      REDIS_URL: '',
    });
    expect(code).toBe(1);
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(`^${name}: invalid configuration: DATABASE_URL: must be a URL starting with postgres://`),
      ),
      `${name}: invalid configuration: REDIS_URL: is required`,
    ]);
  });

  it('names an unreachable Redis in one line', () => {
    const { code, lines } = runToExit(entry, {
      ...reachable(),
      ...required,
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(code).toBe(1);
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^${name}: REDIS_URL: cannot connect \\(.*ECONNREFUSED`)),
    ]);
  });

  it('names a missing or short DATA_ENCRYPTION_KEY in one line', () => {
    const missing = runToExit(entry, { ...reachable(), ...required, DATA_ENCRYPTION_KEY: '' });
    expect(missing.code).toBe(1);
    expect(missing.lines).toEqual([`${name}: invalid configuration: DATA_ENCRYPTION_KEY: is required`]);
    const short = runToExit(entry, {
      ...reachable(),
      ...required,
      DATA_ENCRYPTION_KEY: `${dataKey()},short`,
    });
    expect(short.code).toBe(1);
    expect(short.lines).toEqual([
      `${name}: invalid configuration: DATA_ENCRYPTION_KEY: each key must be at least 32 characters (e.g. \`openssl rand -base64 32\`)`,
    ]);
  });

  it('refuses, in one line, a DATA_ENCRYPTION_KEY that does not hold the key the secrets were sealed with', async () => {
    const db = await createTestDatabase();
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      const sealedWith = new DataKeyring([dataKey()]);
      const { rows } = await pool.query<{ id: string }>(
        `INSERT INTO workspaces (name) VALUES ('W') RETURNING id`,
      );
      await insertWebhook(pool, sealedWith, {
        workspaceId: rows[0]!.id,
        url: 'https://hooks.example.com/in',
        description: '',
        events: ['task.created'],
        secret: 'whsec_x',
        createdBy: null,
      });
      const { code, lines } = runToExit(entry, { ...reachable(), ...required, DATABASE_URL: db.url });
      expect(code).toBe(1);
      expect(lines).toEqual([
        `${name}: invalid configuration: DATA_ENCRYPTION_KEY: does not hold key ${sealedWith.currentKeyId} ` +
          '(sealed 1 webhook secrets); to rotate, keep the old key after the new one',
      ]);
    } finally {
      await pool.end();
      await db.drop();
    }
  });
});
