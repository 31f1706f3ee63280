import { poolStats } from '@taskstack/db';
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Sequelize } from 'sequelize';

/** Prometheus metrics of one API process: requests by route template, latency, db pool, event-loop lag (default metrics). */
export function createMetrics(sequelize: Sequelize) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections by state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const pool = poolStats(sequelize);
      this.set({ state: 'in_use' }, pool.inUse);
      this.set({ state: 'idle' }, pool.idle);
      this.set({ state: 'waiting' }, pool.waiting);
    },
  });

  /**
   * The counter and histogram series of each (method, route, status), looked up by one string: prom-client
   * otherwise sorts and hashes the label object on every `inc` and `observe`. Bounded like the labels themselves.
   */
  const series = new Map<
    string,
    { count: Counter.Internal; latency: Histogram.Internal<(typeof labelNames)[number]> }
  >();
  function seriesOf(method: string, route: string, status: string) {
    const key = `${method} ${status} ${route}`;
    let found = series.get(key);
    if (!found) {
      found = {
        count: requests.labels(method, route, status),
        latency: duration.labels(method, route, status),
      };
      series.set(key, found);
    }
    return found;
  }

  /** Times each request and labels it with the route template (`/tasks/:id`), never the raw path, to bound cardinality. */
  const middleware: RequestHandler = (req, res, next) => {
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      const { count, latency } = seriesOf(req.method, route, String(res.statusCode));
      count.inc();
      latency.observe(Number(process.hrtime.bigint() - start) / 1e9);
    });
    next();
  };
  return { registry, middleware };
}
