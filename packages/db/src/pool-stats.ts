import type { Sequelize } from 'sequelize';

/** Connections of the pool by state: checked out, idle in the pool, and callers waiting for one. */
export type PoolStats = { inUse: number; idle: number; waiting: number };

/** What sequelize-pool counts; Sequelize v6 holds it at `connectionManager.pool` without declaring it in its types. */
type SequelizePool = { available: number; using: number; waiting: number };

/**
 * The pool's counters for metrics. The one place that knows where Sequelize keeps its pool (db owns Sequelize); a
 * test checks the counters follow a checked-out connection, so an upgrade that moves them fails there.
 */
export function poolStats(sequelize: Sequelize): PoolStats {
  const pool = (sequelize.connectionManager as unknown as { pool: SequelizePool }).pool;
  return { inUse: pool.using, idle: pool.available, waiting: pool.waiting };
}
