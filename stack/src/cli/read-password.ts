/**
 * The new admin's password for `npm run stack -- admin create`, never from argv (process lists, shell history,
 * npm's echo of the command): ADMIN_PASSWORD, else a prompt without echo on a terminal (asked twice), else the
 * first line of stdin — the api's `npm run admin` rules; the stack imports no app code.
 */
import { PassThrough } from 'node:stream';
import { read } from 'read';

export async function readPassword(forWhom: string): Promise<string> {
  if (process.env.ADMIN_PASSWORD) return process.env.ADMIN_PASSWORD;
  // Piped stdin gets no prompt (read's output goes nowhere), so scripts see only the command's own messages.
  const tty = process.stdin.isTTY === true;
  const ask = (prompt: string) =>
    read({ prompt, silent: tty, output: tty ? process.stderr : new PassThrough() });
  const password = await ask(`Password for ${forWhom}: `);
  if (tty && (await ask('Repeat it: ')) !== password) throw new Error('the two passwords differ');
  return password;
}
