/** The real API in its own process for the benchmark (so the load generator does not share its event loop). */
import { loadApiConfig } from '../src/config.js';
import { startApi } from '../src/server.js';

const api = await startApi(loadApiConfig(), { port: 0 });
// BENCH_SHOW_SQL=1 prints every statement, to check that the bare server runs the same SQL.
if (process.env.BENCH_SHOW_SQL) {
  (api.context.sequelize as unknown as { options: { logging: (sql: string) => void } }).options.logging = (
    sql,
  ) => console.log(sql);
  api.context.sql.logging = (sql) => console.log(sql);
}
process.send?.({ url: api.url });
process.on('SIGTERM', () => void api.close().then(() => process.exit(0)));
