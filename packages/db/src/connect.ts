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

/**
 * Like `probeDatabase`, but keeps trying for up to `seconds` (0: once). In the stack the api and worker log in as
 * roles the migrate job creates, and that job runs alongside them: on an upgrade a new task may start before its
 * role exists, and must wait for it rather than fail (a failed task would roll the update back).
 */
export async function waitForDatabase(url: string, seconds: number): Promise<string | undefined> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const problem = await probeDatabase(url);
    if (!problem || Date.now() >= deadline) return problem;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
