import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export type Child = { url: string; pid: number; stop: () => Promise<void> };

/** Runs a bench server (a .ts file beside this one) in its own process and waits for it to report its URL. */
export function startChild(
  script: string,
  env: Record<string, string>,
  nodeOptions: string[] = [],
  quiet = true,
): Promise<Child> {
  const child: ChildProcess = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
    env: { ...process.env, ...env },
    execArgv: ['--conditions=@taskstack/source', '--import', 'tsx', ...nodeOptions],
    stdio: quiet ? ['ignore', 'ignore', 'inherit', 'ipc'] : ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening`)));
    child.once('message', (message) => {
      child.removeAllListeners('exit');
      resolve({
        url: (message as { url: string }).url,
        pid: child.pid!,
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
