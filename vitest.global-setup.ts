/**
 * Starts the real services every test file shares — one PostgreSQL server with a migrated template database and one
 * Redis — or uses DATABASE_URL / REDIS_URL when they are set. Test files then clone their own database.
 */
import { prepareTemplateDatabase } from './packages/db/src/testing/index.js';
import { startPostgres, startRedis, type Service } from './packages/devservices/src/index.js';

const started: Service[] = [];

export async function setup(): Promise<void> {
  const [postgres, redis] = await Promise.all([
    process.env.DATABASE_URL ? undefined : startPostgres(),
    process.env.REDIS_URL ? undefined : startRedis(),
  ]);
  for (const service of [postgres, redis]) if (service) started.push(service);
  process.env.TEST_DATABASE_SERVER_URL = postgres?.url ?? process.env.DATABASE_URL;
  process.env.TEST_REDIS_URL = redis?.url ?? process.env.REDIS_URL;
  await prepareTemplateDatabase(process.env.TEST_DATABASE_SERVER_URL!);
}

export async function teardown(): Promise<void> {
  await Promise.all(started.map((service) => service.stop()));
}
