import { Sequelize } from 'sequelize';
import { initModels } from './models/index.js';

export type ConnectOptions = { poolMax?: number; logging?: (sql: string) => void; applicationName?: string };

/** Opens a pool to DATABASE_URL with every model registered; times and ids come back as UTC and strings. */
export function connectDatabase(url: string, options: ConnectOptions = {}): Sequelize {
  const sequelize = new Sequelize(url, {
    dialect: 'postgres',
    logging: options.logging ?? false,
    timezone: '+00:00',
    pool: { max: options.poolMax ?? 10, min: 0, idle: 10_000, acquire: 10_000 },
    dialectOptions: {
      application_name: options.applicationName ?? 'taskstack',
      connectionTimeoutMillis: 5000,
    },
    define: { underscored: true },
  });
  initModels(sequelize);
  return sequelize;
}

/** A one-line reason the database cannot be reached, for start-up errors that name DATABASE_URL. */
export async function checkDatabase(sequelize: Sequelize): Promise<string | undefined> {
  try {
    await sequelize.authenticate({ logging: false });
    return undefined;
  } catch (error) {
    const cause = (error as { original?: { code?: string; message?: string } }).original;
    return cause?.code ? `${cause.code} ${cause.message ?? ''}`.trim() : String((error as Error).message);
  }
}
