import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpSink } from '@taskstack/devservices';
import { QUEUES } from '@taskstack/queues';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { takeJournalEntry } from '../src/pitr/journal.js';
import { info } from '../src/pitr/pgbackrest.js';
import { startWorker, type WorkerHandle } from '../src/start.js';
import type { WorkerConfig } from '../src/config.js';
import { runJob, sleep, sql, testConfig } from './helpers.js';
import { startArchivingPostgres } from './pitr-server.js';

let sink: SmtpSink;
let server: Awaited<ReturnType<typeof startArchivingPostgres>>;
let config: WorkerConfig;
let worker: WorkerHandle;
beforeAll(async () => {
  sink = await SmtpSink.start();
  server = await startArchivingPostgres();
  await sql(
    server.url,
    `INSERT INTO users (email, name, password_hash, is_instance_admin) VALUES ('root@example.test', 'Root', 'x', true)`,
  );
  config = await testConfig(server.url, {
    PITR_STANZA: server.pb.stanza,
    PITR_SCRATCH_DIR: server.scratch,
    SMTP_URL: sink.url,
    ADMIN_EMAILS: 'ops@example.test',
    // Only the jobs the tests add: a scheduled journal entry would change which moment a drill picks.
    PITR_JOURNAL_CRON: '0 0 1 1 *',
    PITR_DRILL_CRON: '0 0 1 1 *',
  });
  // The drill may pick a moment as soon as its WAL is archived (archiveNow), not 5 minutes later.
  worker = await startWorker(config, { drillSettleMs: 0 });
}, 180_000);
afterAll(async () => {
  await worker?.close();
  await server?.stop();
  await sink?.close();
});

const names = () =>
  sql<{ name: string }>(server.url, `SELECT name FROM workspaces ORDER BY name`).then((r) =>
    r.map((x) => x.name),
  );
const databases = () =>
  sql<{ datname: string }>(server.url, `SELECT datname FROM pg_database ORDER BY 1`).then((r) =>
    r.map((x) => x.datname),
  );
const metric = async (name: string) =>
  Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(await (await fetch(`${worker.url}/metrics`)).text())?.[1]);
type DrillRow = {
  status: string;
  target_time: Date;
  problems: string[];
  details: { verify: string; tables: number };
};
const drill = async () => {
  const job = await runJob(config, QUEUES.backups, 'pitr-drill', {}, { attempts: 1 });
  expect(job.failedReason).toBeUndefined();
  const [row] = await sql<DrillRow>(
    server.url,
    `SELECT status, target_time, problems, details FROM restore_drills WHERE id = $1`,
    [job.returnvalue.drillId],
  );
  return row!;
};
const scratchLeft = () => readdirSync(server.scratch).filter((f) => f.startsWith('pitr-'));

let journalled: { recordedAt: string };
describe('nightly restore drill (real PostgreSQL and pgBackRest)', () => {
  it('creates the stanza at start, so WAL is archived from the start, not only after the first backup', async () => {
    await server.archiveNow();
    const [archiver] = await sql<{ failed: string }>(
      server.url,
      `SELECT failed_count AS failed FROM pg_stat_archiver`,
    );
    expect(Number(archiver!.failed)).toBe(0);
    const full = await runJob(config, QUEUES.backups, 'pitr-backup', { type: 'full' });
    expect(full.failedReason).toBeUndefined();
  }, 120_000);

  it('journals every table with the moment, and a drill restoring that moment finds it all as journalled', async () => {
    // A moment the backup can restore to: from the whole second after it stopped.
    const start = (await info(server.pb)).backups[0]!.stoppedAt;
    await sleep(Math.max(0, start.getTime() - Date.now() + 50));
    await sql(server.url, `INSERT INTO workspaces (name) VALUES ('before-1'), ('before-2')`);
    const job = await runJob(config, QUEUES.backups, 'pitr-journal', {});
    expect(job.failedReason).toBeUndefined();
    journalled = job.returnvalue;
    const [entry] = await sql<{ tables: Record<string, { rows: number }>; window_start: Date }>(
      server.url,
      `SELECT tables, window_start FROM recovery_journal`,
    );
    expect(entry!.tables['public.workspaces']).toEqual({
      rows: 2,
      checksum: expect.stringMatching(/^-?\d+$/),
    });
    expect(entry!.tables['public.users']!.rows).toBe(1);
    expect(entry!.tables).not.toHaveProperty('public.recovery_journal');
    expect(entry!.window_start).toEqual((await info(server.pb)).backups[0]!.stoppedAt);
    // Changes after the moment: the restore must leave them out to match.
    await sql(server.url, `INSERT INTO workspaces (name) VALUES ('after-1')`);
    await sql(server.url, `UPDATE workspaces SET name = 'before-2-renamed' WHERE name = 'before-2'`);
    await server.archiveNow();
    const before = await databases();

    const row = await drill();
    expect(row).toMatchObject({ status: 'passed', problems: [], details: { verify: 'passed' } });
    expect(row.details.tables).toBeGreaterThan(10);
    expect(row.target_time.toISOString()).toBe(new Date(journalled.recordedAt).toISOString());
    expect(await metric('worker_pitr_drill_failed')).toBe(0);
    expect(await metric('worker_pitr_drill_last_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 600);
    expect(await names()).toEqual(['after-1', 'before-1', 'before-2-renamed']);
    expect(await databases()).toEqual(before);
    expect(scratchLeft()).toEqual([]);
  }, 240_000);

  it('fails a drill whose restored tables differ from the journal', async () => {
    await sql(
      server.url,
      `UPDATE recovery_journal SET tables = jsonb_set(tables, '{public.workspaces,checksum}', '"12345"')`,
    );
    const row = await drill();
    expect(row.status).toBe('failed');
    expect(row.problems).toEqual(['public.workspaces: 2 rows as journalled, but their checksum differs']);
    expect(await metric('worker_pitr_drill_failed')).toBe(1);
    const mail = await sink.waitFor((m) => m.subject === 'taskstack restore drill FAILED');
    expect(mail.to.sort()).toEqual(['ops@example.test', 'root@example.test']);
    expect(mail.text).toContain('public.workspaces: 2 rows as journalled, but their checksum differs');
  }, 240_000);

  it('fails on a corrupted repository file, emails the admins and never touches the live database', async () => {
    await sql(server.url, `DELETE FROM recovery_journal`);
    await runJob(config, QUEUES.backups, 'pitr-journal', {});
    await server.archiveNow();
    const [{ path }] = (await sql<{ path: string }>(
      server.url,
      `SELECT pg_relation_filepath('workspaces') AS path`,
    )) as [{ path: string }];
    const label = (await info(server.pb)).backups[0]!.label;
    const file = join(server.repo, 'backup', server.pb.stanza, label, 'pg_data', `${path}.gz`);
    const bytes = readFileSync(file);
    bytes.fill(0x55, 10, Math.min(bytes.length, 60));
    writeFileSync(file, bytes);
    const live = await takeJournalEntry(server.url);
    const before = await databases();
    sink.messages.length = 0;

    const row = await drill();
    expect(row.status).toBe('failed');
    expect(row.details.verify).toBe('failed');
    expect(row.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^pgbackrest verify: invalid checksum '.*\/pg_data\/.*\.gz'$/),
      ]),
    );
    const mail = await sink.waitFor((m) => m.subject === 'taskstack restore drill FAILED');
    expect(mail.text).toContain('invalid checksum');
    expect(await metric('worker_pitr_drill_failed')).toBe(1);
    // Only the drill's own record changed in the live database.
    const after = (await takeJournalEntry(server.url)).tables;
    delete after['public.restore_drills'];
    delete live.tables['public.restore_drills'];
    expect(after).toEqual(live.tables);
    expect(await databases()).toEqual(before);
    expect(scratchLeft()).toEqual([]);
  }, 240_000);
});
