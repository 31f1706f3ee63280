/**
 * The api's and the worker's database roles (app-roles.ts) on a real PostgreSQL: rows yes, schema no. Role names
 * are unique per run because roles belong to the whole server that every test file shares.
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAppRoles, ensureMonitorRole, MONITOR_ROLE } from '../src/index.js';
import { createTestDatabase, onServer } from '../src/testing/index.js';

const suffix = randomBytes(4).toString('hex');
const api = { name: `t_api_${suffix}`, password: 'api-password-0123456789', createDatabases: false };
const worker = { name: `t_worker_${suffix}`, password: 'worker-password-0123456789', createDatabases: true };

let db: Awaited<ReturnType<typeof createTestDatabase>>;

/** Runs `run` as the owner (the test server's superuser, as the stack's migrate job is) in the test database. */
async function asOwner<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
const owner = (sql: string) => asOwner((client) => client.query(sql));

/** Runs `sql` logged in as `role`; resolves with the Postgres error code, or 'ok'. */
async function as(role: { name: string; password: string }, sql: string, database = db.url): Promise<string> {
  const url = new URL(database);
  url.username = role.name;
  url.password = role.password;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(sql);
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  await asOwner((client) => ensureAppRoles((sql) => client.query(sql), [api, worker]));
});
afterAll(async () => {
  await db.drop();
  await onServer(process.env.TEST_DATABASE_SERVER_URL!, async (client) => {
    for (const role of [api, worker]) await client.query(`DROP ROLE IF EXISTS ${role.name}`);
  });
});

const PERMISSION_DENIED = '42501';

describe('app database roles', () => {
  it('read and write the rows of every table', async () => {
    const insert = `INSERT INTO users (id, email, name, password_hash, created_at, updated_at)
      VALUES (gen_random_uuid(), 'role-${suffix}@example.com', 'R', 'x', now(), now())`;
    expect(await as(api, insert)).toBe('ok');
    expect(await as(api, `UPDATE users SET name = 'S' WHERE email = 'role-${suffix}@example.com'`)).toBe(
      'ok',
    );
    expect(await as(worker, 'SELECT count(*) FROM users')).toBe('ok');
    expect(await as(api, `DELETE FROM users WHERE email = 'role-${suffix}@example.com'`)).toBe('ok');
    expect(await as(api, 'SELECT name FROM schema_migrations')).toBe('ok');
  });

  it('cannot drop, alter, truncate or create tables, nor rewrite the migration journal', async () => {
    for (const role of [api, worker]) {
      // tasks, projects and comments are views of the live rows of all_* (the trash): both kinds are guarded.
      expect(await as(role, 'DROP TABLE all_comments')).toBe(PERMISSION_DENIED);
      expect(await as(role, 'DROP VIEW comments')).toBe(PERMISSION_DENIED);
      expect(await as(role, 'ALTER TABLE users ADD COLUMN evil text')).toBe(PERMISSION_DENIED);
      expect(await as(role, 'ALTER TABLE users DISABLE TRIGGER ALL')).toBe(PERMISSION_DENIED);
      expect(await as(role, 'TRUNCATE all_tasks CASCADE')).toBe(PERMISSION_DENIED);
      expect(await as(role, 'CREATE TABLE stash (x text)')).toBe(PERMISSION_DENIED);
      expect(await as(role, 'DELETE FROM schema_migrations')).toBe(PERMISSION_DENIED);
      expect(await as(role, `ALTER ROLE ${role.name} SUPERUSER`)).toBe(PERMISSION_DENIED);
      expect(await as(role, `DROP DATABASE ${new URL(db.url).pathname.slice(1)}`)).toBe(PERMISSION_DENIED);
    }
    expect(await as(api, `CREATE DATABASE t_scratch_${suffix}`)).toBe(PERMISSION_DENIED);
  });

  it('lets only the worker create (and drop) a scratch database of its own, for verifying backups', async () => {
    expect(await as(worker, `CREATE DATABASE t_scratch_${suffix}`)).toBe('ok');
    expect(await as(worker, `DROP DATABASE t_scratch_${suffix}`)).toBe('ok');
  });

  it('run server programs (pgBackRest for point-in-time recovery) only when given them', async () => {
    const copy = 'CREATE TEMP TABLE out (line text); COPY out FROM PROGRAM $$echo hi$$';
    expect(await as(worker, copy)).toBe(PERMISSION_DENIED);
    await asOwner((client) =>
      ensureAppRoles((sql) => client.query(sql), [{ ...worker, serverPrograms: true }]),
    );
    expect(await as(worker, copy)).toBe('ok');
    expect(await as(api, copy)).toBe(PERMISSION_DENIED);
    await asOwner((client) => ensureAppRoles((sql) => client.query(sql), [worker]));
    expect(await as(worker, copy)).toBe(PERMISSION_DENIED);
  });

  it("reach tables a later migration creates, and survive the next migrate run's password change", async () => {
    await owner('CREATE TABLE later_feature (id serial PRIMARY KEY, note text)');
    expect(await as(api, "INSERT INTO later_feature (note) VALUES ('x')")).toBe('ok');
    expect(await as(api, 'DROP TABLE later_feature')).toBe(PERMISSION_DENIED);
    const rotated = { ...api, password: 'rotated-password-0123456789' };
    await asOwner((client) => ensureAppRoles((sql) => client.query(sql), [rotated]));
    expect(await as(rotated, 'SELECT count(*) FROM later_feature')).toBe('ok');
    Object.assign(api, rotated);
  });

  it("give the metrics exporter the server's statistics and no row of the app", async () => {
    const monitor = { name: MONITOR_ROLE, password: 'monitor-password-0123456789' };
    await asOwner((client) => ensureMonitorRole((sql) => client.query(sql), monitor.password));
    try {
      // What postgres_exporter reads: other sessions' activity (pg_monitor), database and replication statistics.
      expect(await as(monitor, 'SELECT query FROM pg_stat_activity')).toBe('ok');
      expect(await as(monitor, 'SELECT * FROM pg_stat_database')).toBe('ok');
      expect(await as(monitor, 'SELECT pg_ls_waldir()')).toBe('ok');
      expect(await as(monitor, 'SELECT count(*) FROM users')).toBe(PERMISSION_DENIED);
      expect(await as(monitor, 'SELECT name FROM schema_migrations')).toBe(PERMISSION_DENIED);
      expect(await as(monitor, 'CREATE TABLE stash (x text)')).toBe(PERMISSION_DENIED);
      expect(await as(monitor, `ALTER ROLE ${MONITOR_ROLE} SUPERUSER`)).toBe(PERMISSION_DENIED);
    } finally {
      await owner(`DROP OWNED BY ${MONITOR_ROLE}; DROP ROLE ${MONITOR_ROLE}`);
    }
  });
});
