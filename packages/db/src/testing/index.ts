import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Sequelize } from 'sequelize';
import { connectDatabase } from '../connect.js';
import { migrateUp } from '../migrate.js';

/** Name of the migrated database each test file clones; built once per `npm test` by the global setup. */
export const TEMPLATE_DATABASE = 'taskstack_template';

/** `url` with its database name replaced by `name`. */
export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** Runs `run` on a connection to the server's `postgres` database, for CREATE/DROP DATABASE. */
export async function onServer<T>(serverUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** (Re)creates the template database and migrates it; run once before the test files start. */
export async function prepareTemplateDatabase(serverUrl: string): Promise<void> {
  await onServer(serverUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  });
  const sequelize = connectDatabase(withDatabase(serverUrl, TEMPLATE_DATABASE), { poolMax: 1 });
  try {
    await migrateUp(sequelize);
  } finally {
    await sequelize.close();
  }
}

/**
 * A fresh, migrated database of its own for one test file, cloned from the template in milliseconds, so test
 * files run in parallel without seeing each other's rows. `drop()` removes it.
 */
export async function createTestDatabase(
  serverUrl = testServerUrl(),
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, (client) =>
    client.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`),
  );
  return {
    url: withDatabase(serverUrl, name),
    drop: () =>
      onServer(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => {},
      ),
  };
}

/** The server the global setup started (or the one DATABASE_URL named). */
export function testServerUrl(): string {
  const url = process.env.TEST_DATABASE_SERVER_URL;
  if (!url)
    throw new Error(
      'TEST_DATABASE_SERVER_URL is not set: run tests through `npm test` (vitest global setup)',
    );
  return url;
}

/** A connected Sequelize on a fresh test database; closes and drops it on `close()`. */
export async function openTestDatabase(): Promise<{
  sequelize: Sequelize;
  url: string;
  close: () => Promise<void>;
}> {
  const db = await createTestDatabase();
  const sequelize = connectDatabase(db.url, { poolMax: 5 });
  return {
    sequelize,
    url: db.url,
    close: async () => {
      await sequelize.close();
      await db.drop();
    },
  };
}
export { sealLegacyTotpSecret, storeLegacyTotpSecret } from './legacy-totp.js';
