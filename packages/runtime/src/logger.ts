import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Paths never written to logs, wherever they appear in a logged object. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.secret',
];

type LoggedError = { type: string; message: string; stack?: string; [field: string]: unknown };
type DatabaseFields = {
  sql?: unknown;
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
  column?: unknown;
};

/**
 * Errors are logged by a short list of fields. pino's default copies every enumerable property, and database
 * errors carry the statement, its bound parameters and Postgres' `detail` (`Key (email)=(…)`): password hashes,
 * token hashes and personal data would reach the logs with every failed query. Postgres also quotes the offending
 * value in its message (`invalid input syntax for type uuid: "…"`), so a database error's quoted parts go too; its
 * code, table, column and constraint say what failed.
 */
export function serializeError(error: unknown): LoggedError | unknown {
  if (!(error instanceof Error)) return error;
  const own = error as DatabaseFields & { original?: DatabaseFields };
  const database = own.original ?? (own.sql !== undefined || own.table !== undefined ? own : undefined);
  if (!database) return { type: error.name, message: error.message, stack: error.stack, code: own.code };
  const frames = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
  return {
    type: error.name,
    message: error.message.replace(/"[^"]*"/g, '"[redacted]"'),
    stack: frames.join('\n'),
    code: database.code,
    table: database.table,
    column: database.column,
    constraint: database.constraint,
  };
}

/**
 * JSON logs on stdout (or `destination`, for tests that read them), one line per event, named by the process so
 * api and worker lines are told apart.
 */
export function createLogger(name: string, level = 'info', destination?: DestinationStream): Logger {
  const options = {
    name,
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: { err: serializeError },
  };
  return destination ? pino(options, destination) : pino(options);
}
