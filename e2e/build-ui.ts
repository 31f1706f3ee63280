/**
 * vitest global setup of the e2e project: the API serves ui/dist, so build it when it is missing or older than
 * any source of the app.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ui = resolve(import.meta.dirname, '../ui');

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** Builds once per run, before any browser opens the app. */
export function setup(): void {
  const built = join(ui, 'dist', 'index.html');
  const sources = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((p) => join(ui, p));
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newest))) return;
  const run = spawnSync('npm', ['run', 'build', '-w', '@taskstack/ui'], {
    cwd: resolve(ui, '..'),
    stdio: 'inherit',
  });
  if (run.status !== 0) throw new Error('building the web app for the e2e tests failed');
}
