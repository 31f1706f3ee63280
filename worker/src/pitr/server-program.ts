import { withClient } from '../backup/pg-tools.js';

/** A command that ran on the database server and failed; `output` holds what it printed. */
export class ServerProgramError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
  }
}

/** Single-quotes one word for /bin/sh. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * Runs a fixed program on the PostgreSQL server, as the server's OS user, through `COPY … FROM PROGRAM`, and
 * returns what it printed. pgBackRest must run next to the data directory; this reaches it over the worker's
 * existing database connection instead of a second listener with its own credentials and certificates. It needs
 * `pg_execute_server_program` (the stack's database role is the cluster's superuser). The words are quoted one by
 * one; output travels base64-encoded on one line so COPY's text format cannot mangle it.
 */
export async function runOnServer(databaseUrl: string, words: string[]): Promise<string> {
  const command = `{ ${words.map(shellQuote).join(' ')} 2>&1; echo "exit=$?"; } | base64 -w0; echo`;
  const text = await withClient(databaseUrl, async (client) => {
    await client.query('CREATE TEMP TABLE server_program_output (line text)');
    await client.query(`COPY server_program_output FROM PROGRAM ${client.escapeLiteral(command)}`);
    const { rows } = await client.query<{ line: string }>('SELECT line FROM server_program_output');
    return Buffer.from(rows.map((r) => r.line).join(''), 'base64').toString('utf8');
  });
  const exit = /exit=(\d+)\n?$/.exec(text);
  const output = exit ? text.slice(0, exit.index) : text;
  if (!exit || exit[1] !== '0') {
    const last = output.trim().split('\n').filter(Boolean).at(-1) ?? 'no output';
    throw new ServerProgramError(`${words[0]} failed (exit ${exit?.[1] ?? '?'}): ${last}`, output);
  }
  return output;
}
