/** poolStats reads Sequelize's pool: the counters must follow connections as they are taken, queued and returned. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolStats, Sql } from '../src/index.js';
import { openTestDatabase } from '../src/testing/index.js';

let db: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

describe('poolStats', () => {
  it('counts connections in use, idle and waited for', async () => {
    const sql = new Sql(db.sequelize);
    // The test pool holds 5: six slow statements keep all five busy and one caller waiting.
    const running = Array.from({ length: 6 }, () => sql.query('SELECT pg_sleep(0.5)'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(poolStats(db.sequelize)).toEqual({ inUse: 5, idle: 0, waiting: 1 });
    await Promise.all(running);
    expect(poolStats(db.sequelize)).toMatchObject({ inUse: 0, waiting: 0, idle: 5 });
  });
});
