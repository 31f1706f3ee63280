import type pg from 'pg';
import { withClient, withDatabase } from './pg-tools.js';

/** Administrative statements run from the server's `postgres` database: a database cannot rename itself. */
export function onMaintenanceDb<T>(databaseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  return withClient(withDatabase(databaseUrl, 'postgres'), fn);
}

/** An empty database from template0, so nothing from template1 collides with the restored objects. */
export async function createDatabase(databaseUrl: string, name: string): Promise<void> {
  await onMaintenanceDb(databaseUrl, (c) =>
    c.query(`CREATE DATABASE ${c.escapeIdentifier(name)} TEMPLATE template0`),
  );
}

export async function dropDatabase(databaseUrl: string, name: string): Promise<void> {
  await onMaintenanceDb(databaseUrl, (c) =>
    c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`),
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Closes every session of `name` and renames it; retried because a pool may reconnect in between. */
async function renameClosingSessions(client: pg.Client, name: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await client.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [name],
    );
    try {
      await client.query(
        `ALTER DATABASE ${client.escapeIdentifier(name)} RENAME TO ${client.escapeIdentifier(to)}`,
      );
      return;
    } catch (error) {
      // 55006 object_in_use: a client got in between terminate and rename.
      if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error;
      await sleep(100);
    }
  }
}

/**
 * Puts `restored` in place of `live`: new connections to `live` are refused, its sessions closed, it is renamed
 * to `aside` (kept for rollback) and `restored` takes its name. The app's DATABASE_URL names the database, so its
 * pools reconnect to the restored data. If the second rename fails, the first is undone.
 */
export async function swapDatabases(
  databaseUrl: string,
  live: string,
  restored: string,
  aside: string,
): Promise<void> {
  await onMaintenanceDb(databaseUrl, async (c) => {
    const id = (name: string) => c.escapeIdentifier(name);
    await c.query(`ALTER DATABASE ${id(live)} ALLOW_CONNECTIONS false`);
    try {
      await renameClosingSessions(c, live, aside);
    } catch (error) {
      await c.query(`ALTER DATABASE ${id(live)} ALLOW_CONNECTIONS true`);
      throw error;
    }
    try {
      await renameClosingSessions(c, restored, live);
    } catch (error) {
      await c.query(`ALTER DATABASE ${id(aside)} RENAME TO ${id(live)}`);
      await c.query(`ALTER DATABASE ${id(live)} ALLOW_CONNECTIONS true`);
      throw error;
    }
    await c.query(`ALTER DATABASE ${id(aside)} ALLOW_CONNECTIONS true`);
  });
}
