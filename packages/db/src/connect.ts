import pg from 'pg';
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

/** A one-line reason the database at `url` cannot be reached, or undefined; for start-up errors naming DATABASE_URL. */
export async function probeDatabase(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    return code && message?.startsWith(code) === false ? `${code} ${message}` : (message ?? String(error));
  } finally {
    await client.end().catch(() => {});
  }
}
