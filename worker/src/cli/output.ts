import { exitOnConfigError, loadConfig } from '@taskstack/config';
import type { z } from 'zod';
import { RefusedBackupError } from '../backup/restore.js';

/** One `restore:` line on stdout: progress and results. */
export const say = (line: string) => process.stdout.write(`restore: ${line}\n`);

/** One `restore:` line on stderr, then exit 1. */
export function fail(line: string): never {
  process.stderr.write(`restore: ${line}\n`);
  process.exit(1);
}

/** Only the settings a restore needs, so it runs with the database credentials alone (no SMTP, no Redis). */
export function restoreConfig<S extends z.ZodObject>(schema: S): z.infer<S> {
  try {
    return loadConfig(schema);
  } catch (error) {
    exitOnConfigError(error, 'restore');
  }
}

/** Fails with what the operator must know: refused (nothing was touched) or failed (nothing was switched). */
export function failRestore(error: unknown): never {
  const message = (error as Error).message.split('\n')[0];
  fail(
    error instanceof RefusedBackupError
      ? `refused: ${message}. The live database was not touched.`
      : `failed: ${message}. The live database was not switched.`,
  );
}
