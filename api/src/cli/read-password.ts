/**
 * The new admin's password, never from argv (process lists, shell history, `npm run`'s echo of the command):
 * ADMIN_PASSWORD / ADMIN_PASSWORD_FILE (a Docker secret in the stack's one-off job), else a prompt without echo on
 * a terminal, else the first line of stdin (`printf '%s\n' "$PW" | npm run admin -- create …`).
 */
import { createInterface } from 'node:readline';

/** Reads one line from a terminal without echoing what is typed. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    let typed = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003' || char === '\u0004') return done(new Error('cancelled'));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    stdin.on('data', onData);
  });
}

/** The first line of a piped stdin (empty when there is none). */
async function firstLineOfStdin(): Promise<string> {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

export async function readPassword(fromEnv: string | undefined, forWhom: string): Promise<string> {
  if (fromEnv !== undefined) return fromEnv;
  if (!process.stdin.isTTY) return firstLineOfStdin();
  const password = await promptHidden(`Password for ${forWhom}: `);
  if ((await promptHidden('Repeat it: ')) !== password) throw new Error('the two passwords differ');
  return password;
}
