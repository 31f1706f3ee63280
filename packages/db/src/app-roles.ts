/**
 * Least privilege in the database: the api and the worker log in as roles of their own that may read and write
 * the app's rows and nothing else — no DROP, ALTER, CREATE or TRUNCATE, no writing the migration journal — while
 * migrations and restores run as the owner (the stack's `taskstack`). A stolen api credential or an SQL injection
 * can then change data but not the schema. The migrate job creates the roles and sets their passwords on every run
 * (so a changed password rolls out with the next deploy); a restore grants them on the database it brings in.
 */

/** The roles of the stack: the api's, and the worker's, which may also create the scratch databases it verifies
 * backups in (they belong to it; the app's database does not). */
export const APP_ROLES = {
  api: { name: 'taskstack_api', createDatabases: false },
  worker: { name: 'taskstack_worker', createDatabases: true },
} as const;

/** Runs one SQL statement (a pg Client's or a Sequelize instance's `query`). */
export type RunSql = (sql: string) => Promise<unknown>;

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const ident = (name: string) => {
  if (!ROLE_NAME.test(name)) throw new Error(`not a role name: ${name}`);
  return `"${name}"`;
};
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * The privileges of the app roles in the current database: rows of every table and sequence of `public`, also of
 * tables later migrations create (default privileges of the role running this, the owner), and only reading the
 * migration journal (the api's readiness check reads it).
 */
export function appRoleGrants(roles: string[]): string[] {
  const list = roles.map(ident).join(', ');
  return [
    'REVOKE CREATE ON SCHEMA public FROM PUBLIC',
    `GRANT USAGE ON SCHEMA public TO ${list}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${list}`,
    `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${list}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${list}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${list}`,
    `DO $$ BEGIN IF to_regclass('public.schema_migrations') IS NOT NULL THEN
       REVOKE INSERT, UPDATE, DELETE ON public.schema_migrations FROM ${list}; END IF; END $$`,
  ];
}

/** Grants the app roles their privileges in the current database (after a migration, or on a restored copy). */
export async function grantAppRoles(run: RunSql, roles: string[]): Promise<void> {
  if (!roles.length) return;
  for (const statement of appRoleGrants(roles)) await run(statement);
}

/**
 * Creates each role if missing, (re)sets its password and attributes — never superuser, never creating roles,
 * never bypassing row security — and grants it its privileges in the current database. Run as the owner.
 */
export async function ensureAppRoles(
  run: RunSql,
  roles: { name: string; password: string; createDatabases: boolean; serverPrograms?: boolean }[],
): Promise<void> {
  for (const role of roles) {
    const name = ident(role.name);
    // Roles are the cluster's: another database's migrate run may have made it already.
    await run(`DO $$ BEGIN CREATE ROLE ${name}; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
    await run(
      `ALTER ROLE ${name} WITH LOGIN NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS ${
        role.createDatabases ? 'CREATEDB' : 'NOCREATEDB'
      } PASSWORD ${literal(role.password)}`,
    );
    await run(
      `DO $$ BEGIN EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO ${name}', current_database()); END $$`,
    );
    // Point-in-time recovery runs pgBackRest next to the data directory through COPY … FROM PROGRAM
    // (worker/src/pitr/server-program.ts). That runs programs as the server's OS user, so a role holding it is no
    // longer confined to rows: granted only while the stack has PITR on, and taken back when it is off.
    await run(
      `${role.serverPrograms ? 'GRANT' : 'REVOKE'} pg_execute_server_program ${role.serverPrograms ? 'TO' : 'FROM'} ${name}`,
    );
  }
  await grantAppRoles(
    run,
    roles.map((role) => role.name),
  );
}

/** The metrics exporter's role (postgres_exporter in the stack's monitoring). */
export const MONITOR_ROLE = 'taskstack_monitor';

/**
 * Creates or updates the exporter's role: it reads the server's statistics views (pg_monitor) and no row of the
 * app — no table privilege is granted, and `public` lets nobody create. Run as the owner.
 */
export async function ensureMonitorRole(run: RunSql, password: string): Promise<void> {
  const name = ident(MONITOR_ROLE);
  await run(`DO $$ BEGIN CREATE ROLE ${name}; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
  await run(
    `ALTER ROLE ${name} WITH LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS PASSWORD ${literal(password)}`,
  );
  await run(`GRANT pg_monitor TO ${name}`);
  await run(
    `DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO ${name}', current_database()); END $$`,
  );
}
