import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** Thrown when the environment does not describe a runnable process; `problems` holds one line per bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/**
 * Builds the input for `schema` from `env`. Any key may instead be given as `KEY_FILE` naming a file whose
 * content (trailing newline trimmed) is the value — that is how Docker secrets reach a container.
 */
function collectInput(keys: string[], env: NodeJS.ProcessEnv, problems: string[]): Record<string, string> {
  const input: Record<string, string> = {};
  for (const key of keys) {
    const file = env[`${key}_FILE`];
    if (file) {
      try {
        input[key] = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
      } catch (error) {
        problems.push(
          `${key}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        );
      }
    } else if (env[key] !== undefined && env[key] !== '') {
      input[key] = env[key];
    }
  }
  return input;
}

/** Validates the environment once against `schema`, reporting every problem at once rather than the first. */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const problems: string[] = [];
  const input = collectInput(Object.keys(schema.shape), env, problems);
  const result = schema.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? 'config');
      const message =
        issue.code === 'invalid_type' && input[key] === undefined ? 'is required' : issue.message;
      problems.push(`${key}: ${message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return result.data as z.infer<S>;
}

/** Prints a ConfigError as one line per problem and exits non-zero; anything else is rethrown. */
export function exitOnConfigError(error: unknown, processName: string): never {
  if (error instanceof ConfigError) {
    for (const line of error.problems)
      process.stderr.write(`${processName}: invalid configuration: ${line}\n`);
    process.exit(1);
  }
  throw error;
}
