import pg from 'pg';
import type { Sequelize } from 'sequelize';

const { escapeLiteral } = pg;

/**
 * Plain node-postgres on the connections of Sequelize's pool, for the hot paths (list, create and move tasks):
 * no model instances, no replacement parsing, and transactions whose statements are batched into as few round
 * trips as possible. One pool for the whole process, so `db_pool_connections` still counts every connection.
 */

/** A pg client from Sequelize's pool; `_invalid` is how Sequelize marks one its pool must discard. */
type Connection = pg.Client & { _invalid?: boolean };
type Row = Record<string, unknown>;

function connectionManager(sequelize: Sequelize) {
  return sequelize.connectionManager as unknown as {
    getConnection(options: { type: 'read' | 'write' }): Promise<Connection>;
    releaseConnection(connection: Connection): Promise<void> | void;
  };
}

/** Sequelize's `logging` option (BENCH_SHOW_SQL sets it), so statements sent here are shown like its own. */
function logged(sequelize: Sequelize, text: string): void {
  const logging = (sequelize as unknown as { options: { logging?: unknown } }).options.logging;
  if (typeof logging === 'function') (logging as (sql: string) => void)(text);
}

/** A trusted SQL fragment: kept as written by `sql`, never quoted. */
export class Raw {
  constructor(readonly text: string) {}
}
export const raw = (text: string) => new Raw(text);

export type SqlValue = string | number | boolean | null | undefined | Date | Raw | string[];

/**
 * One value as an SQL literal, quoted by pg's `escapeLiteral`, so it is safe whatever standard_conforming_strings
 * says. Used only where statements are batched into one simple-protocol message, which cannot carry bind
 * parameters.
 */
export function literal(value: SqlValue): string {
  if (value instanceof Raw) return value.text;
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('Only finite numbers can be SQL literals');
    return String(value);
  }
  if (value instanceof Date) return quote(value.toISOString());
  if (Array.isArray(value)) return `ARRAY[${value.map(quote).join(', ')}]::text[]`;
  return quote(value);
}

/** Text as a literal; pg doubles quotes and backslashes and writes `E''` when there is a backslash. */
function quote(text: string): string {
  // Postgres text cannot hold NUL, and the protocol would end the statement at it.
  if (text.includes('\0')) throw new TypeError('SQL literals cannot contain NUL characters');
  return escapeLiteral(text);
}

/** Tagged template: every `${value}` becomes a quoted literal (or a `raw` fragment as is). */
export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): string {
  let text = strings[0]!;
  values.forEach((value, i) => (text += literal(value) + strings[i + 1]!));
  return text;
}

async function withConnection<T>(
  sequelize: Sequelize,
  run: (connection: Connection) => Promise<T>,
): Promise<T> {
  const manager = connectionManager(sequelize);
  const connection = await manager.getConnection({ type: 'write' });
  try {
    return await run(connection);
  } finally {
    await manager.releaseConnection(connection);
  }
}

/** One parameterised statement (`$1`, `$2`…) on a pooled connection; its rows. */
export async function query<R = Row>(
  sequelize: Sequelize,
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  logged(sequelize, text);
  return withConnection(sequelize, async (connection) => (await connection.query(text, values)).rows as R[]);
}

/** Sends several `;`-separated statements in one message (one round trip); the rows of each. */
async function batch(sequelize: Sequelize, connection: Connection, text: string): Promise<Row[][]> {
  logged(sequelize, text);
  const result = (await connection.query(text)) as unknown as pg.QueryResult | pg.QueryResult[];
  return (Array.isArray(result) ? result : [result]).map((r) => r.rows as Row[]);
}

export type Batch = {
  /**
   * `START TRANSACTION` and `statements` in one round trip; the rows of each statement. Under READ COMMITTED each
   * statement takes its own snapshot, so a statement after a lock sees everything the previous holder committed.
   */
  open(statements: string[]): Promise<Row[][]>;
  /** `statements` and `COMMIT` in one round trip; the rows of each statement. */
  commit(statements: string[]): Promise<Row[][]>;
};

/**
 * A transaction in two round trips: `open` (begin, lock, read) and `commit` (write, commit), with only the code
 * between them — no further network turn — running while the locks of `open` are held. Rolled back if `run`
 * throws; a connection that cannot even roll back is discarded rather than returned to the pool.
 */
export async function batchedTransaction<T>(
  sequelize: Sequelize,
  run: (tx: Batch) => Promise<T>,
): Promise<T> {
  return withConnection(sequelize, async (connection) => {
    let state = 'idle' as 'idle' | 'open' | 'done';
    const tx: Batch = {
      async open(statements) {
        if (state !== 'idle') throw new Error('transaction already opened');
        state = 'open';
        return (await batch(sequelize, connection, ['START TRANSACTION', ...statements].join(';\n'))).slice(
          1,
        );
      },
      async commit(statements) {
        if (state !== 'open') throw new Error('transaction not open');
        const results = await batch(sequelize, connection, [...statements, 'COMMIT'].join(';\n'));
        state = 'done';
        return results.slice(0, -1);
      },
    };
    try {
      return await run(tx);
    } catch (error) {
      if (state === 'open') {
        try {
          await connection.query('ROLLBACK');
        } catch {
          connection._invalid = true;
        }
      }
      throw error;
    }
  });
}
