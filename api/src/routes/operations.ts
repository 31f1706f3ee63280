import { pendingMigrations } from '@taskstack/db';
import type { Express } from 'express';
import type { Registry } from 'prom-client';
import type { AppContext } from '../context.js';

/**
 * `/health` (the process lives), `/ready` (Postgres, Redis and schema are usable, and the process is not draining for
 * shutdown) and `/metrics`, on the app itself: a Router of their own would hand every API request on to the next
 * middleware only on the next turn of the event loop.
 */
export function addOperationsRoutes(app: Express, ctx: AppContext, metrics: Registry): void {
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    if (ctx.drainSignal.aborted) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    const checks = await Promise.all([
      // Reading the migrations table is the reachability check too: it fails when Postgres does.
      pendingMigrations(ctx.sequelize).then(
        (pending) => (pending.length ? `migrations pending: ${pending.join(', ')}` : 'ok'),
        () => 'unreachable',
      ),
      ctx.redis.ping().then(
        () => 'ok',
        () => 'unreachable',
      ),
    ]);
    const [database, redis] = checks;
    const ready = checks.every((c) => c === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', database, redis });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });
}
