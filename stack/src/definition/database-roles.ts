/**
 * The Postgres roles of the stack. `taskstack` (POSTGRES_USER, the cluster's superuser) owns the schema and runs
 * migrations and restores; the api and the worker log in as roles limited to the app's rows, which the migrate job
 * creates with the passwords it is given (`ensureAppRoles` in packages/db/src/app-roles.ts, whose APP_ROLES carry
 * the same names: the stack deploys images and imports none of their code).
 */
export const OWNER_ROLE = 'taskstack';
export const databaseRoles = { api: 'taskstack_api', worker: 'taskstack_worker' } as const;
/** The metrics exporter's role: the server's statistics (pg_monitor), no row of the app (MONITOR_ROLE there). */
export const MONITOR_DATABASE_ROLE = 'taskstack_monitor';

/** Prefix of every Redis key and channel the app uses (REDIS_PREFIX), which the Redis users are confined to. */
export const REDIS_PREFIX = 'taskstack';
