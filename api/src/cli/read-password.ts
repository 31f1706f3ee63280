/**
 * The new admin's password, never from argv (process lists, shell history, `npm run`'s echo of the command):
 * ADMIN_PASSWORD / ADMIN_PASSWORD_FILE (a Docker secret in the stack's one-off job), else a prompt without echo on
 * a terminal (asked twice), else the first line of stdin (`printf '%s\n' "$PW" | npm run admin -- create …`).
 */
import { PassThrough } from 'node:stream';
import { read } from 'read';

export async function readPassword(fromEnv: string | undefined, forWhom: string): Promise<string> {
  if (fromEnv !== undefined) return fromEnv;
  // Piped stdin gets no prompt (read's output goes nowhere), so scripts see only the command's own messages.
  const tty = process.stdin.isTTY === true;
  const ask = (prompt: string) =>
    read({ prompt, silent: tty, output: tty ? process.stderr : new PassThrough() });
  const password = await ask(`Password for ${forWhom}: `);
  if (tty && (await ask('Repeat it: ')) !== password) throw new Error('the two passwords differ');
  return password;
}
