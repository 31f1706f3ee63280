import { QueryTypes, type Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import { migrations } from './migrations/index.js';

/** Arbitrary but fixed key: every process that migrates takes the same lock, so two deploy steps never race. */
const MIGRATION_LOCK = 7_361_920_411;

function migrator(sequelize: Sequelize, log: (message: string) => void = () => {}) {
  return new Umzug({
    migrations: migrations.map((m) => ({ name: m.name, up: m.up, down: m.down })),
    // umzug calls a function-valued context to build it, hence the factory returning the SQL runner.
    context: () => (statement: string) => sequelize.query(statement),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: {
      info: (e) => log(`migration ${String(e.event ?? '')} ${String(e.name ?? '')}`.trim()),
      warn: (e) => log(JSON.stringify(e)),
      error: (e) => log(JSON.stringify(e)),
      debug: () => {},
    },
  });
}

/** Applies every pending migration under an advisory lock; returns the names it applied. */
export async function migrateUp(sequelize: Sequelize, log?: (message: string) => void): Promise<string[]> {
  await sequelize.query('SELECT pg_advisory_lock(:key)', { replacements: { key: MIGRATION_LOCK } });
  try {
    const applied = await migrator(sequelize, log).up();
    return applied.map((m) => m.name);
  } finally {
    await sequelize.query('SELECT pg_advisory_unlock(:key)', { replacements: { key: MIGRATION_LOCK } });
  }
}

/** Names of migrations the database has not run yet; `/ready` is false while any remain. */
export async function pendingMigrations(sequelize: Sequelize): Promise<string[]> {
  const exists = await sequelize.query<{ present: boolean }>(
    `SELECT to_regclass('schema_migrations') IS NOT NULL AS present`,
    { type: QueryTypes.SELECT },
  );
  if (!exists[0]?.present) return migrations.map((m) => m.name);
  const done = await sequelize.query<{ name: string }>('SELECT name FROM schema_migrations', {
    type: QueryTypes.SELECT,
  });
  const names = new Set(done.map((row) => row.name));
  return migrations.map((m) => m.name).filter((name) => !names.has(name));
}
