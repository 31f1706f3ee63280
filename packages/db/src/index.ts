export { probeDatabase, connectDatabase, waitForDatabase, type ConnectOptions } from './connect.js';
export { migrateUp, pendingMigrations } from './migrate.js';
export * from './models/index.js';
export { Sql, type Queryable } from './sql.js';
export { DataKeyring, SealedValueError } from './data-keyring.js';
export { logSealing, sealPendingSecrets } from './sealed-secrets.js';
export { poolStats, type PoolStats } from './pool-stats.js';
export {
  APP_ROLES,
  appRoleGrants,
  ensureAppRoles,
  ensureMonitorRole,
  grantAppRoles,
  MONITOR_ROLE,
  type RunSql,
} from './app-roles.js';
export * from './recurrence/rule.js';
