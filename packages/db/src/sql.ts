import pg from 'pg';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';

const { escapeLiteral } = pg;

/**
 * The one way to run raw SQL (repositories use nothing else): node-postgres on the connections of Sequelize's own
 * pool, taken and given back through its public ConnectionManager, so `db_pool_connections` counts every
 * connection and no second pool competes with it. Single statements always use bind parameters (`$1`, `$2`…);
 * only `batched` transactions, whose several statements travel in one simple-protocol message, inline them as
 * quoted literals.
 */

export type Row = Record<string, unknown>;

/** What a repository needs to run a statement: `Sql`, `Sql.in(transaction)` or a plain `pg.Pool` (the worker). */
export type Queryable = {
  query(text: string, values?: unknown[]): Promise<{ rows: Row[]; rowCount: number | null }>;
};

/** Runs `work` in one transaction on a client of `pool` (the worker's connections; the API uses Sequelize's). */
export async function inTransaction<T>(pool: pg.Pool, work: (db: Queryable) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** The rows of one statement, typed by the caller. */
export async function rowsOf<R = Row>(db: Queryable, text: string, values: unknown[] = []): Promise<R[]> {
  return (await db.query(text, values)).rows as R[];
}

/**
 * Whether a statement failed on a unique constraint (SQLSTATE 23505), from `Sql` (pg's error) or `Sql.in` (Sequelize
 * keeps pg's error as `original`), so callers can answer a clash as a conflict.
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = (e: unknown) => (e && typeof e === 'object' ? (e as { code?: unknown }).code : undefined);
  return code(error) === '23505' || code((error as { original?: unknown } | null)?.original) === '23505';
}

/** A trusted SQL fragment: kept as written by `sql`, never a parameter. */
export class Raw {
  constructor(readonly text: string) {}
}
export const raw = (text: string) => new Raw(text);

/** A statement with its bind parameters `$1`, `$2`…, built by `sql`. */
export class Statement {
  constructor(
    readonly text: string,
    readonly values: unknown[],
  ) {}
}

const PARAM = /\$(\d+)/g;

/**
 * Tagged template: every `${value}` becomes a bind parameter, a `raw` fragment is kept as written and a nested
 * `Statement` is spliced in with its parameters renumbered.
 */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): Statement {
  let text = strings[0]!;
  const params: unknown[] = [];
  values.forEach((value, i) => {
    if (value instanceof Raw) text += value.text;
    else if (value instanceof Statement) {
      text += value.text.replace(PARAM, (_, n: string) => `$${params.push(value.values[Number(n) - 1])}`);
    } else text += `$${params.push(value)}`;
    text += strings[i + 1]!;
  });
  return new Statement(text, params);
}

/** The rows of one statement. */
export const run = <R = Row>(db: Queryable, statement: Statement) =>
  rowsOf<R>(db, statement.text, statement.values);

/** One value as a literal quoted by pg's `escapeLiteral` (safe whatever standard_conforming_strings says). */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('Only finite numbers can be SQL literals');
    return String(value);
  }
  if (value instanceof Date) return quote(value.toISOString());
  if (Array.isArray(value)) return `ARRAY[${value.map((item) => quote(String(item))).join(', ')}]::text[]`;
  if (typeof value === 'string') return quote(value);
  throw new TypeError(`Cannot write a ${typeof value} as an SQL literal`);
}

function quote(text: string): string {
  // Postgres text cannot hold NUL, and the protocol would end the statement at it.
  if (text.includes('\0')) throw new TypeError('SQL literals cannot contain NUL characters');
  return escapeLiteral(text);
}

/**
 * The statement with its parameters written as literals: a message of several statements (simple protocol)
 * cannot carry bind parameters. Our statements hold `$n` only as parameters, never inside quoted text.
 */
export const inline = ({ text, values }: Statement) =>
  text.replace(PARAM, (_, n: string) => literal(values[Number(n) - 1]));

export type Batch = {
  /**
   * `START TRANSACTION` and `statements` in one round trip; the rows of each statement. Under READ COMMITTED each
   * statement takes its own snapshot, so a statement after a lock sees everything the previous holder committed.
   */
  open(statements: Statement[]): Promise<Row[][]>;
  /** `statements` and `COMMIT` in one round trip; the rows of each statement. */
  commit(statements: Statement[]): Promise<Row[][]>;
};

export class Sql implements Queryable {
  /** Shown every statement sent, like Sequelize's `logging` (the bench's BENCH_SHOW_SQL sets both). */
  logging: ((text: string) => void) | undefined;

  constructor(readonly sequelize: Sequelize) {}

  private async withConnection<T>(run: (connection: pg.Client) => Promise<T>): Promise<T> {
    const manager = this.sequelize.connectionManager;
    const connection = (await manager.getConnection({ type: 'write' })) as pg.Client;
    let broken = false;
    try {
      return await run(connection).catch((error: unknown) => {
        broken = error instanceof BrokenConnection;
        throw broken ? (error as BrokenConnection).cause : error;
      });
    } finally {
      if (broken) await manager.destroyConnection(connection);
      else manager.releaseConnection(connection);
    }
  }

  /** One statement with bind parameters on a pooled connection. */
  async query(text: string, values: unknown[] = []): Promise<pg.QueryResult<Row>> {
    this.logging?.(text);
    return this.withConnection((connection) => connection.query(text, values));
  }

  /** The same, inside a Sequelize transaction (for repositories called from model code that holds one). */
  in(transaction: Transaction | undefined): Queryable {
    if (!transaction) return this;
    return {
      query: async (text, values = []) => {
        // Sequelize answers a RAW query with its rows and either pg's result or (INSERT …) the row count.
        const [rows, meta] = await this.sequelize.query(text, {
          bind: values,
          transaction,
          type: QueryTypes.RAW,
        });
        const rowCount = typeof meta === 'number' ? meta : (meta as pg.QueryResult).rowCount;
        return { rows: rows as Row[], rowCount };
      },
    };
  }

  /**
   * A transaction in two round trips: `open` (begin, lock, read) and `commit` (write, commit), with only the code
   * between them — no further network turn — running while the locks of `open` are held. Rolled back if `run`
   * throws; a connection that cannot even roll back is destroyed rather than returned to the pool.
   */
  async batched<T>(run: (tx: Batch) => Promise<T>): Promise<T> {
    return this.withConnection(async (connection) => {
      let state = 'idle' as 'idle' | 'open' | 'done';
      const send = async (statements: (Statement | string)[]) => {
        const text = statements.map((s) => (typeof s === 'string' ? s : inline(s))).join(';\n');
        this.logging?.(text);
        const result = (await connection.query(text)) as unknown as pg.QueryResult | pg.QueryResult[];
        return (Array.isArray(result) ? result : [result]).map((r) => r.rows as Row[]);
      };
      const tx: Batch = {
        async open(statements) {
          if (state !== 'idle') throw new Error('transaction already opened');
          state = 'open';
          return (await send(['START TRANSACTION', ...statements])).slice(1);
        },
        async commit(statements) {
          if (state !== 'open') throw new Error('transaction not open');
          const results = await send([...statements, 'COMMIT']);
          state = 'done';
          return results.slice(0, -1);
        },
      };
      try {
        return await run(tx);
      } catch (error) {
        if (state === 'open')
          await connection.query('ROLLBACK').catch(() => {
            throw new BrokenConnection(error);
          });
        throw error;
      }
    });
  }
}

/** Carries the error of a transaction whose connection could not roll back, so it is destroyed. */
class BrokenConnection extends Error {
  constructor(override readonly cause: unknown) {
    super('connection could not roll back');
  }
}
