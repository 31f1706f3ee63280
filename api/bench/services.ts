import { migrateUp, connectDatabase } from '@taskstack/db';
import { onServer, withDatabase } from '@taskstack/db/testing';
import { startPostgres, startRedis } from '@taskstack/devservices';

export type BenchServices = { databaseUrl: string; redisUrl: string; stop: () => Promise<void> };

/**
 * Postgres and Redis for a benchmark run: DATABASE_URL/REDIS_URL when set (a fresh database is created on that
 * server, so no existing data is touched), else throw-away servers. The database is migrated.
 */
export async function startBenchServices(): Promise<BenchServices> {
  const postgres = process.env.DATABASE_URL ? undefined : await startPostgres();
  const redis = process.env.REDIS_URL ? undefined : await startRedis();
  const serverUrl = process.env.DATABASE_URL ?? postgres!.url;
  const name = `taskstack_bench_${process.pid}`;
  await onServer(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const databaseUrl = withDatabase(serverUrl, name);
  const sequelize = connectDatabase(databaseUrl, { poolMax: 1 });
  await migrateUp(sequelize);
  await sequelize.close();
  return {
    databaseUrl,
    redisUrl: process.env.REDIS_URL ?? redis!.url,
    stop: async () => {
      await onServer(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      await redis?.stop();
      await postgres?.stop();
    },
  };
}
