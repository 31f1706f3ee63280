import { connectDatabase, migrateUp } from '@taskstack/db';
import { SmtpSink, startPostgres, startRedis, type Service } from '@taskstack/devservices';
import pg from 'pg';

/** Throw-away PostgreSQL (with a migrated `bench` database), Redis and SMTP sink for one bench run. */
export async function startServices() {
  const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  const sink = await SmtpSink.start();
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query('CREATE DATABASE bench');
  await admin.end();
  const databaseUrl = postgres.url.replace(/\/postgres$/, '/bench');
  const sequelize = connectDatabase(databaseUrl, { poolMax: 1 });
  await migrateUp(sequelize);
  await sequelize.close();
  const services: Service[] = [postgres, redis];
  return {
    databaseUrl,
    redisUrl: redis.url,
    sink,
    stop: async () => {
      await sink.close();
      await Promise.all(services.map((s) => s.stop()));
    },
  };
}

/**
 * Fills the bench database to about `megabytes` MiB: tasks with short texts and many 1 KiB comments (the bulk,
 * in the table without a full-text column, so seeding costs I/O rather than tsvector parsing).
 */
export async function seedBulk(databaseUrl: string, megabytes: number): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`
      WITH w AS (INSERT INTO workspaces (name) VALUES ('Bench') RETURNING id)
      INSERT INTO projects (workspace_id, name) SELECT id, 'Bench' FROM w;
      INSERT INTO users (email, name, password_hash)
        SELECT 'u' || g || '@bench.test', 'User ' || g, md5(g::text) FROM generate_series(1, 1000) g;
      INSERT INTO tasks (workspace_id, project_id, number, title, position)
        SELECT p.workspace_id, p.id, g, 'Task ' || g, lpad(g::text, 10, '0') FROM projects p, generate_series(1, 50000) g`);
    const comments = Math.ceil((megabytes * 1024) / 1.2);
    for (let done = 0; done < comments; done += 100_000) {
      await client.query(
        `WITH t AS (SELECT array_agg(id ORDER BY number) AS ids FROM tasks)
         INSERT INTO comments (task_id, body)
         SELECT t.ids[1 + g % 50000], (SELECT string_agg(md5((g * 31 + i)::text), ' ') FROM generate_series(1, 30) i)
           FROM t, generate_series($1::int, $2::int) g`,
        [done, Math.min(done + 100_000, comments) - 1],
      );
    }
    await client.query('VACUUM ANALYZE');
    const { rows } = await client.query<{ size: string }>(
      `SELECT pg_size_pretty(pg_database_size(current_database())) AS size`,
    );
    return rows[0]!.size;
  } finally {
    await client.end();
  }
}
