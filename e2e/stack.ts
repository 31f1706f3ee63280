import { createInstanceAdmin, loadApiConfig, startApi } from '@taskstack/api';
import { createTestDatabase } from '@taskstack/db/testing';
import { freePort, SmtpSink } from '@taskstack/devservices';
import { mkdtemp, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadWorkerConfig, startWorker } from '@taskstack/worker';
import { chromium, type Browser } from 'playwright-core';

export type Stack = {
  url: string;
  sink: SmtpSink;
  browser: Browser;
  /**
   * Restarts the API on the same port with a new JWT secret: every access token in a browser becomes invalid (as
   * if it had expired) while refresh cookies still work, and open event streams drop.
   */
  restartApi(): Promise<void>;
  close(): Promise<void>;
};

/** Flags for Debian's Chromium in CI: headless, no sandbox (root), and no calls home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches /usr/bin/chromium through playwright-core (no browser download). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** An instance admin the operator makes before anyone signs in (`npm run admin -- create`). */
export type Admin = { email: string; name: string; password: string };

/**
 * The real thing on this machine: its own database and Redis prefix, the API serving the built web app, the
 * worker sending mail to an SMTP sink and taking backups, and a Chromium to drive it. `admin` is created the way
 * an operator creates the first admin (signing up makes none).
 */
export async function startStack(
  env: {
    ADMIN_EMAILS?: string;
    admin?: Admin;
    USER_RATE_LIMIT_PER_MINUTE?: string;
    /** More API settings (the OIDC_* keys of a sign-in provider). */
    api?: Record<string, string>;
  } = {},
): Promise<Stack> {
  const db = await createTestDatabase();
  const sink = await SmtpSink.start();
  const dir = await mkdtemp(join(tmpdir(), 'taskstack-e2e-'));
  const port = await freePort();
  // localhost, not 127.0.0.1: browsers treat it as a secure context, so the Secure refresh cookie sticks.
  const url = `http://localhost:${port}`;
  const shared = {
    DATABASE_URL: db.url,
    REDIS_URL: process.env.TEST_REDIS_URL,
    REDIS_PREFIX: `e2e${randomBytes(5).toString('hex')}`,
    PUBLIC_URL: url,
    LOG_LEVEL: 'silent',
    ADMIN_EMAILS: env.ADMIN_EMAILS ?? '',
    // The api seals webhook secrets with it, the worker opens them: both hold the same key.
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
    // One attachment directory for both: the worker reads it for exports and writes it for imports.
    STORAGE_DIR: join(dir, 'files'),
  };
  const serve = () =>
    startApi(
      loadApiConfig({
        ...shared,
        JWT_SECRET: randomBytes(32).toString('hex'),
        ...(env.USER_RATE_LIMIT_PER_MINUTE
          ? { USER_RATE_LIMIT_PER_MINUTE: env.USER_RATE_LIMIT_PER_MINUTE }
          : {}),
        ...env.api,
      }),
      { staticDir: resolve(import.meta.dirname, '../ui/dist'), port },
    );
  let api = await serve();
  if (env.admin) await createInstanceAdmin(api.context.sql, env.admin);
  const worker = await startWorker(
    loadWorkerConfig({
      ...shared,
      SMTP_URL: sink.url,
      BACKUP_DIR: join(dir, 'backups'),
      WORKER_HTTP_PORT: String(await freePort()),
      // The tests' webhook receivers listen on this machine, which the guard refuses by default.
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    }),
  );
  const browser = await launchChromium();
  return {
    url,
    sink,
    browser,
    restartApi: async () => {
      await api.close();
      api = await serve();
    },
    close: async () => {
      await browser.close().catch(() => undefined);
      await worker.close();
      await api.close();
      await sink.close();
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The first link in the newest mail to `to` whose URL contains `path` (invitation, password reset). */
export async function linkFromMail(
  sink: SmtpSink,
  to: string,
  path: string,
  timeoutMs = 20_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = [...sink.messages].reverse().find((m) => m.to.includes(to) && m.text.includes(path));
    const link = mail?.text.match(new RegExp(`https?://\\S*${path}\\S*`))?.[0];
    if (link) return link;
    if (Date.now() > deadline) throw new Error(`no mail to ${to} with a ${path} link`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
