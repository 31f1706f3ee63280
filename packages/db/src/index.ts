export { probeDatabase, connectDatabase, type ConnectOptions } from './connect.js';
export { migrateUp, pendingMigrations } from './migrate.js';
export * from './models/index.js';
export { Sql, type Queryable } from './sql.js';
