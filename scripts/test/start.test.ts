import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '@taskstack/devservices';
import { DEMO_EMAIL, DEMO_PASSWORD } from '../seed-demo.js';

const root = new URL('../..', import.meta.url).pathname;

/** A free port whose successor is free too: npm start puts the worker's health port at PORT+1. */
async function freePortAndNext(): Promise<number> {
  for (;;) {
    const port = await freePort();
    const next = createServer();
    const free = await new Promise<boolean>((resolve) => {
      next.once('error', () => resolve(false));
      next.listen(port + 1, '127.0.0.1', () => next.close(() => resolve(true)));
    });
    if (free) return port;
  }
}
const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));

/** `npm start` as a user runs it, in its own process group so the group's leftovers can be found afterwards. */
function npmStart(env: Record<string, string>) {
  const child = spawn('npm', ['start'], {
    cwd: root,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, out: () => stdout, err: () => stderr };
}

/** An IPv4 address of this machine other than loopback (Docker's bridge at least), to knock on from "outside". */
const externalAddress = () =>
  Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

function processesOfGroup(pgid: number): string[] {
  const table = execFileSync('ps', ['-eo', 'pgid=,pid=,comm='], { encoding: 'utf8' });
  return table
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([group]) => Number(group) === pgid)
    .map(([, pid, comm]) => `${pid} ${comm}`);
}

describe('npm start', () => {
  it('fails fast with one line naming DATABASE_URL when the database is unreachable', async () => {
    const run = npmStart({ DATABASE_URL: 'postgres://nope@127.0.0.1:1/x', LOG_LEVEL: 'silent' });
    const [code] = await once(run.child, 'exit');
    expect(code).not.toBe(0);
    const lines = run
      .err()
      .split('\n')
      .filter((l) => l.trim() && !/^npm (warn|error)/.test(l));
    expect(lines).toEqual([expect.stringMatching(/^start: DATABASE_URL: cannot connect \(ECONNREFUSED/)]);
  });

  it('serves the app with a seeded demo account as the local admin, and Ctrl-C leaves no process behind', async () => {
    const port = await freePortAndNext();
    const run = npmStart({ PORT: String(port), LOG_LEVEL: 'warn' });
    const deadline = Date.now() + 150_000;
    while (!run.out().includes('Ctrl-C stops everything')) {
      if (run.child.exitCode !== null || Date.now() > deadline)
        throw new Error(`npm start did not come up:\n${run.err()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(run.out()).toContain(`demo sign-in (instance admin): ${DEMO_EMAIL} / ${DEMO_PASSWORD}`);
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const page = await fetch(`${base}/board/anything`);
    expect(await page.text()).toContain('<div id="app"');
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO_EMAIL, password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(200);
    // Made an admin deliberately, as `npm run admin -- create` does: signing up first no longer makes one.
    expect(((await login.json()) as { user: { isInstanceAdmin: boolean } }).user.isInstanceAdmin).toBe(true);
    // The worker's health port follows PORT (a second `npm start` on another PORT no longer collides on 3001).
    expect((await fetch(`http://127.0.0.1:${port + 1}/health`)).status).toBe(200);
    // Only this machine is served: the same port on another of its addresses refuses.
    const outside = externalAddress();
    expect(outside).toBeDefined();
    const knock = await fetch(`http://${outside}:${port}/health`).then(
      (r) => r.status,
      (error: Error & { cause?: { code?: string } }) => error.cause?.code,
    );
    expect(knock).toBe('ECONNREFUSED');

    const pgid = run.child.pid!;
    expect(processesOfGroup(pgid).some((p) => /postgres|redis/.test(p))).toBe(true);
    process.kill(-pgid, 'SIGINT'); // what a terminal's Ctrl-C does: the whole foreground group gets SIGINT
    await once(run.child, 'exit');
    const until = Date.now() + 15_000;
    while (processesOfGroup(pgid).length > 0 && Date.now() < until)
      await new Promise((r) => setTimeout(r, 200));
    expect(processesOfGroup(pgid)).toEqual([]);
  }, 200_000);
});
