import { QUEUES } from '@taskstack/queues';
import { parse } from 'csv-parse/sync';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerConfig } from '../src/config.js';
import { startWorker, type WorkerHandle } from '../src/start.js';
import { createTestDatabase, runJob, sql, testConfig } from './helpers.js';
import { runExport, runImport, unzip } from './transfer-helpers.js';
import { seedWorkspace, workspace } from './transfer-seed.js';

let db: { url: string; drop: () => Promise<void> };
let config: WorkerConfig;
let worker: WorkerHandle;
let files: string;
let seeded: Awaited<ReturnType<typeof seedWorkspace>>;

beforeAll(async () => {
  db = await createTestDatabase();
  files = mkdtempSync(join(tmpdir(), 'taskstack-transfer-files-'));
  config = await testConfig(db.url, { STORAGE_DRIVER: 'local', STORAGE_DIR: files, IMPORT_MAX_TASKS: '50' });
  worker = await startWorker(config);
  seeded = await seedWorkspace(db.url, files);
});

afterAll(async () => {
  await worker?.close();
  await db?.drop();
  rmSync(files, { recursive: true, force: true });
});

const zipOf = (key: string) => readFileSync(join(files, key));
/** The export document without what differs between two exports of the same data. */
const comparable = (json: Buffer) => {
  const doc = JSON.parse(json.toString());
  delete doc.exportedAt;
  delete doc.workspace.name;
  return doc;
};
async function zipWith(entries: Record<string, string>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, text] of Object.entries(entries)) zip.addBuffer(Buffer.from(text), name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('workspace export', () => {
  it('writes workspace.json, tasks.csv and the attachments into a zip stored until it expires', async () => {
    const { row, progress } = await runExport(config, db.url, seeded.workspaceId, seeded.alice.id);
    expect(row).toMatchObject({ status: 'succeeded', progress: 100, error: null });
    expect(row.file_name).toMatch(/^Acme-\d{4}-\d{2}-\d{2}\.zip$/);
    expect(row.expires_at!.getTime() - Date.now()).toBeGreaterThan(23 * 3600_000);
    // Progress only grows, from the start to the end.
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBeGreaterThanOrEqual(95);

    const entries = await unzip(zipOf(row.file_key!));
    expect([...entries.keys()].sort()).toEqual([
      'attachments/p1-1/1-mock-up.txt',
      'tasks.csv',
      'workspace.json',
    ]);
    expect(entries.get('attachments/p1-1/1-mock-up.txt')!.toString()).toBe('mock-up bytes \u2713');
    const doc = JSON.parse(entries.get('workspace.json')!.toString());
    expect(doc).toMatchObject({
      format: 'taskstack-export',
      version: 1,
      workspace: { name: 'Acme', timeZone: 'Europe/Berlin' },
    });
    expect(doc.members.map((m: { email: string }) => m.email).sort()).toEqual(
      [seeded.alice.email, seeded.bob.email].sort(),
    );
    expect(doc.labels).toEqual([
      { name: 'Bug', color: '#ff0000' },
      { name: 'UI', color: '#00ff00' },
    ]);
    const [website, ops] = doc.projects;
    expect(website.name).toBe('Website');
    expect(ops).toMatchObject({ name: 'Ops', archived: true });
    // Columns in order, positions within them; the trashed task is not there.
    expect(website.tasks.map((t: { title: string }) => t.title)).toEqual([
      'Header logo',
      'Fix header',
      'Landing page',
      'Shipped',
    ]);
    const landing = website.tasks.find((t: { number: number }) => t.number === 1);
    expect(landing).toMatchObject({
      ref: 'p1-1',
      status: 'in_progress',
      priority: 'high',
      dueAt: '2026-12-24T09:00:00.000Z',
      assignee: seeded.bob.email,
      createdBy: seeded.alice.email,
      labels: ['Bug', 'UI'],
      checklist: [
        { text: 'Copy', done: true, assignee: seeded.bob.email, dueAt: null },
        { text: 'Images', done: false, assignee: null, dueAt: '2026-12-20T00:00:00.000Z' },
      ],
      comments: [
        { author: seeded.alice.email, body: 'Looks good' },
        { author: seeded.bob.email, body: 'Thanks!' },
      ],
      attachments: [
        { filename: 'mock-up.txt', contentType: 'text/plain', path: 'attachments/p1-1/1-mock-up.txt' },
      ],
    });
    expect(website.tasks.find((t: { number: number }) => t.number === 3).parent).toBe('p1-2');
    expect(ops.tasks.find((t: { number: number }) => t.number === 6).assignee).toBe(seeded.gone.email);
    expect(doc.recurrences).toEqual([
      {
        ref: 'r1',
        rule: { frequency: 'weekly', interval: 1, weekdays: ['mo'], time: '09:00' },
        startsOn: '2026-11-30',
        made: 2,
        finished: false,
        occurrences: [
          { date: '2026-11-30', follows: null, task: null },
          { date: '2026-12-07', follows: '2026-11-30', task: 'p2-7' },
        ],
      },
    ]);

    const csv = parse(entries.get('tasks.csv')!, { columns: true, bom: true }) as Record<string, string>[];
    expect(csv).toHaveLength(6);
    expect(csv.find((r) => r.title === 'Landing page')).toMatchObject({
      project: 'Website',
      status: 'in_progress',
      assignee: seeded.bob.email,
      labels: 'Bug, UI',
      checklist_done: '1',
      checklist_total: '2',
      comments: '2',
      attachments: '1',
    });
  });

  it('deletes the zip once it expires', async () => {
    const { row } = await runExport(config, db.url, seeded.workspaceId, seeded.alice.id);
    await sql(
      db.url,
      `UPDATE workspace_transfers SET expires_at = now() - interval '1 minute' WHERE id = $1`,
      [row.id],
    );
    await runJob(config, QUEUES.transfers, 'prune-transfers', {});
    expect(existsSync(join(files, row.file_key!))).toBe(false);
    const [after] = await sql<{ file_key: string | null; status: string }>(
      db.url,
      `SELECT file_key, status FROM workspace_transfers WHERE id = $1`,
      [row.id],
    );
    expect(after).toEqual({ file_key: null, status: 'succeeded' });
  });
});

describe('import of a taskstack export', () => {
  it('round-trips: exporting, importing into a new workspace and exporting again gives the same data', async () => {
    const first = await runExport(config, db.url, seeded.workspaceId, seeded.alice.id);
    const zip = zipOf(first.row.file_key!);
    const target = await workspace(db.url, 'Acme copy', [seeded.alice, seeded.bob]);
    const imported = await runImport(config, db.url, files, {
      workspaceId: target,
      by: seeded.alice.id,
      source: 'taskstack',
      file: zip,
      fileName: 'acme.zip',
    });
    expect(imported.row).toMatchObject({ status: 'succeeded', progress: 100, file_key: null });
    expect(imported.row.report).toEqual({
      created: {
        labels: 2,
        projects: 2,
        tasks: 5,
        subtasks: 1,
        'checklist items': 2,
        comments: 3,
        attachments: 1,
        'repeat series': 1,
      },
      skipped: [],
      // The former member is named, not invented: their task and comment stay, without them.
      unknownPeople: [seeded.gone.email],
    });
    // The upload is gone once imported.
    expect(existsSync(join(files, imported.uploadKey))).toBe(false);

    const second = await runExport(config, db.url, target, seeded.alice.id);
    const [a, b] = [await unzip(zip), await unzip(zipOf(second.row.file_key!))];
    const before = comparable(a.get('workspace.json')!);
    // The one difference: the former member is not in the new workspace.
    const ops = before.projects[1].tasks.find((t: { number: number }) => t.number === 6);
    ops.assignee = null;
    ops.comments[0].author = null;
    expect(comparable(b.get('workspace.json')!)).toEqual(before);
    expect(b.get('attachments/p1-1/1-mock-up.txt')).toEqual(a.get('attachments/p1-1/1-mock-up.txt'));
    // Numbers continue after the imported ones.
    const counters = await sql<{ task_counter: number }>(
      db.url,
      `SELECT task_counter FROM projects WHERE workspace_id = $1 ORDER BY created_at`,
      [target],
    );
    expect(counters.map((c) => c.task_counter)).toEqual([4, 7]);
  });

  it('takes workspace.json alone, reporting the attachments it cannot bring', async () => {
    const first = await runExport(config, db.url, seeded.workspaceId, seeded.alice.id);
    const json = (await unzip(zipOf(first.row.file_key!))).get('workspace.json')!;
    const target = await workspace(db.url, 'Json only', [seeded.alice]);
    const { row } = await runImport(config, db.url, files, {
      workspaceId: target,
      by: seeded.alice.id,
      source: 'taskstack',
      file: json,
    });
    expect(row.status).toBe('succeeded');
    expect(row.report!.skipped).toEqual([
      {
        what: 'attachment',
        reason: 'its file is not in the upload',
        count: 1,
        examples: ['Landing page: mock-up.txt'],
      },
    ]);
    expect(row.report!.unknownPeople).toEqual([seeded.bob.email, seeded.gone.email].sort());
  });
});

describe('bad files', () => {
  const taskCount = async (workspaceId: string) =>
    (
      await sql<{ n: number }>(db.url, `SELECT count(*)::int AS n FROM all_tasks WHERE workspace_id = $1`, [
        workspaceId,
      ])
    )[0]!.n;

  it.each([
    ['not JSON', Buffer.from('{"format": "taskstack-export", '), /The file is not valid JSON/],
    ['another format', Buffer.from('{"hello": "world"}'), /Not a taskstack export: format: /],
    ['a zip without workspace.json', 'zip', /the zip has no workspace\.json/],
    ['a truncated zip', 'truncated', /not a readable zip archive/],
  ])('fails the job with a readable reason for %s, writing nothing', async (_name, file, reason) => {
    const target = await workspace(db.url, 'Bad', [seeded.alice]);
    const body =
      file === 'zip'
        ? await zipWith({ 'other.json': '{}' })
        : file === 'truncated'
          ? (await zipWith({ 'workspace.json': '{}'.repeat(500) })).subarray(0, 60)
          : (file as Buffer);
    const { row, uploadKey } = await runImport(config, db.url, files, {
      workspaceId: target,
      by: seeded.alice.id,
      source: 'taskstack',
      file: body,
    });
    expect(row.status).toBe('failed');
    expect(row.error).toMatch(reason);
    expect(await taskCount(target)).toBe(0);
    expect(existsSync(join(files, uploadKey))).toBe(false);
  });

  it('rolls back the whole import when a task fails half-way, and deletes the files it wrote', async () => {
    const first = await runExport(config, db.url, seeded.workspaceId, seeded.alice.id);
    const entries = await unzip(zipOf(first.row.file_key!));
    const doc = JSON.parse(entries.get('workspace.json')!.toString());
    // Valid for the format, refused by the database (one date twice in a series) after the tasks and the file.
    doc.recurrences[0].occurrences.push({ date: '2026-12-07', follows: null, task: null });
    const zip = await zipWith({
      'workspace.json': JSON.stringify(doc),
      'attachments/p1-1/1-mock-up.txt': 'bytes',
    });
    const target = await workspace(db.url, 'Half', [seeded.alice, seeded.bob]);
    const attachments = async () =>
      (await sql<{ n: number }>(db.url, `SELECT count(*)::int AS n FROM attachments`))[0]!.n;
    const before = await attachments();
    const { row } = await runImport(config, db.url, files, {
      workspaceId: target,
      by: seeded.alice.id,
      source: 'taskstack',
      file: zip,
    });
    expect(row.status).toBe('failed');
    expect(row.error).toMatch(/^The import failed: duplicate key value/);
    expect(await taskCount(target)).toBe(0);
    expect((await sql(db.url, `SELECT 1 FROM all_projects WHERE workspace_id = $1`, [target])).length).toBe(
      0,
    );
    expect((await sql(db.url, `SELECT 1 FROM labels WHERE workspace_id = $1`, [target])).length).toBe(0);
    expect(await attachments()).toBe(before);
    // The attachment file written before the failure was deleted with the rollback (and the upload after it).
    const left = readdirSync(join(files, target), { recursive: true, withFileTypes: true }).filter((f) =>
      f.isFile(),
    );
    expect(left).toEqual([]);
    // …which it had written: the task's folder is there beside the upload's.
    expect(readdirSync(join(files, target))).toHaveLength(2);
  });

  it('refuses a file with more tasks than IMPORT_MAX_TASKS before writing anything', async () => {
    const tasks = Array.from({ length: 51 }, (_, i) => ({
      ref: `t${i}`,
      number: i + 1,
      title: `Task ${i}`,
      description: '',
      status: 'todo',
      priority: 'none',
      dueAt: null,
      archived: false,
      assignee: null,
      createdBy: null,
      parent: null,
      createdAt: null,
      labels: [],
      checklist: [],
      comments: [],
      attachments: [],
    }));
    const doc = {
      format: 'taskstack-export',
      version: 1,
      exportedAt: new Date().toISOString(),
      workspace: { name: 'Big', timeZone: null },
      members: [],
      labels: [],
      projects: [{ name: 'Big', description: '', archived: false, tasks }],
      recurrences: [],
    };
    const target = await workspace(db.url, 'Big', [seeded.alice]);
    const { row } = await runImport(config, db.url, files, {
      workspaceId: target,
      by: seeded.alice.id,
      source: 'taskstack',
      file: Buffer.from(JSON.stringify(doc)),
    });
    expect(row).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/51 tasks; an import takes at most 50/),
    });
    expect(await taskCount(target)).toBe(0);
  });
});
