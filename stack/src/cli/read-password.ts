/**
 * The new admin's password for `npm run stack -- admin create`, never from argv (process lists, shell history,
 * npm's echo of the command): ADMIN_PASSWORD, else a prompt without echo on a terminal, else the first line of
 * stdin. The same rules as the api's `npm run admin` (api/src/cli/read-password.ts); the stack imports no app code.
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

export async function readPassword(forWhom: string): Promise<string> {
  const fromEnv = process.env.ADMIN_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) return firstLineOfStdin();
  const password = await promptHidden(`Password for ${forWhom}: `);
  if ((await promptHidden('Repeat it: ')) !== password) throw new Error('the two passwords differ');
  return password;
}
