import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerConfig } from '../src/config.js';
import { startWorker, type WorkerHandle } from '../src/start.js';
import { createTestDatabase, sql, testConfig } from './helpers.js';
import { fixture, runImport } from './transfer-helpers.js';
import { user, workspace } from './transfer-seed.js';

let db: { url: string; drop: () => Promise<void> };
let config: WorkerConfig;
let worker: WorkerHandle;
let files: string;
let ana: { id: string; email: string };

beforeAll(async () => {
  db = await createTestDatabase();
  files = mkdtempSync(join(tmpdir(), 'taskstack-importer-files-'));
  config = await testConfig(db.url, { STORAGE_DRIVER: 'local', STORAGE_DIR: files });
  worker = await startWorker(config);
  ana = await user(db.url, 'Ana', 'ana@example.com');
});

afterAll(async () => {
  await worker?.close();
  await db?.drop();
  rmSync(files, { recursive: true, force: true });
});

type TaskRow = {
  project: string;
  number: number;
  title: string;
  description: string;
  status: string;
  priority: string;
  due: string | null;
  archived: boolean;
  assignee: string | null;
  parent: string | null;
  labels: string[];
  checklist: string[];
  comments: string[];
  attachments: string[];
};

/** The imported tasks of a workspace as plain rows, in board order. */
async function tasksOf(workspaceId: string): Promise<TaskRow[]> {
  return sql<TaskRow>(
    db.url,
    `SELECT p.name AS project, t.number, t.title, t.description, t.status::text, t.priority::text,
       to_char(t.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS due, t.archived, u.email AS assignee,
       parent.title AS parent,
       ARRAY(SELECT l.name FROM task_labels tl JOIN labels l ON l.id = tl.label_id WHERE tl.task_id = t.id ORDER BY l.name) AS labels,
       ARRAY(SELECT (CASE WHEN i.done THEN '[x] ' ELSE '[ ] ' END) || i.text FROM checklist_items i WHERE i.task_id = t.id ORDER BY i.position) AS checklist,
       ARRAY(SELECT coalesce(a.email, '?') || ': ' || c.body FROM comments c LEFT JOIN users a ON a.id = c.author_id WHERE c.task_id = t.id ORDER BY c.created_at) AS comments,
       ARRAY(SELECT f.filename || ' ' || f.size FROM attachments f WHERE f.task_id = t.id) AS attachments
     FROM tasks t JOIN projects p ON p.id = t.project_id LEFT JOIN users u ON u.id = t.assignee_id
     LEFT JOIN tasks parent ON parent.id = t.parent_id
     WHERE t.workspace_id = $1 ORDER BY p.created_at, t.status, t.position`,
    [workspaceId],
  );
}

const labelsOf = (workspaceId: string) =>
  sql<{ name: string; color: string }>(
    db.url,
    `SELECT name, color FROM labels WHERE workspace_id = $1 ORDER BY name`,
    [workspaceId],
  );

/** The zip Vikunja writes, from the unpacked fixture folder. */
async function vikunjaZip(): Promise<Buffer> {
  const dir = join(import.meta.dirname, 'fixtures', 'imports', 'vikunja');
  const zip = new yazl.ZipFile();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else zip.addBuffer(readFileSync(path), relative(dir, path));
    }
  };
  walk(dir);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('Trello import', () => {
  it('brings a board export in as one project, reporting people and what Trello does not give', async () => {
    const target = await workspace(db.url, 'T', [ana]);
    const { row, progress } = await runImport(config, db.url, files, {
      workspaceId: target,
      by: ana.id,
      source: 'trello',
      file: fixture('trello-board.json'),
      fileName: 'trello-board.json',
    });
    expect(row).toMatchObject({ status: 'succeeded', progress: 100 });
    expect(progress.at(-1)).toBeGreaterThanOrEqual(95);
    expect(await tasksOf(target)).toEqual([
      expect.objectContaining({
        title: 'Fix broken footer links',
        status: 'todo',
        number: 2,
        labels: ['Bug', 'purple'],
      }),
      // Closed cards and the cards of closed lists are kept, archived.
      expect.objectContaining({ title: 'Animated logo', status: 'todo', archived: true }),
      expect.objectContaining({
        project: 'Website relaunch',
        number: 1,
        title: 'Write the About page',
        status: 'in_progress',
        due: '2026-12-01T17:00',
        assignee: null,
        labels: ['Content'],
        checklist: ['[x] History', '[ ] Team', '[ ] Proofread'],
        comments: [
          '?: First draft is attached.\n\n— Maria Lopez (@marialopez) on Trello',
          '?: Can we mention the 2019 move?\n\n— Tom Becker (@tombecker) on Trello',
        ],
        description: expect.stringContaining('- draft.docx: https://trello.com/1/cards/'),
      }),
      expect.objectContaining({ title: 'Pick a font', status: 'done' }),
      expect.objectContaining({ title: 'Launch announcement', status: 'done', archived: false }),
    ]);
    expect(await labelsOf(target)).toEqual([
      { name: 'Bug', color: '#f87462' },
      { name: 'Content', color: '#4bce97' },
      { name: 'purple', color: '#9f8fef' },
    ]);
    expect(row.report!.unknownPeople).toEqual(['Maria Lopez (@marialopez)', 'Tom Becker (@tombecker)']);
    expect(row.report!.skipped).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ what: 'attachment', count: 1, examples: ['Write the About page'] }),
        expect.objectContaining({ what: 'checklist name', count: 1 }),
      ]),
    );
    expect(row.report!.created).toMatchObject({
      projects: 1,
      tasks: 5,
      labels: 3,
      'checklist items': 3,
      comments: 2,
    });
  });

  it('fails with a readable reason for JSON that is not a Trello board', async () => {
    const target = await workspace(db.url, 'T2', [ana]);
    const { row } = await runImport(config, db.url, files, {
      workspaceId: target,
      by: ana.id,
      source: 'trello',
      file: fixture('planka-board.json'),
    });
    expect(row).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^Not a Trello board export \(name: /),
    });
    expect(await tasksOf(target)).toEqual([]);
  });
});

describe('CSV import', () => {
  const mapping = {
    title: 'Summary',
    description: 'Details',
    status: 'State',
    priority: 'Prio',
    dueAt: 'Due',
    assignee: 'Owner',
    labels: 'Tags',
    project: 'Board',
  };

  it('maps the chosen columns, one project per Board value, and reports the rows and cells it skipped', async () => {
    const target = await workspace(db.url, 'C', [ana]);
    const { row } = await runImport(config, db.url, files, {
      workspaceId: target,
      by: ana.id,
      source: 'csv',
      file: fixture('tasks.csv'),
      fileName: 'tasks.csv',
      options: { mapping },
    });
    expect(row.status).toBe('succeeded');
    expect(await tasksOf(target)).toEqual([
      expect.objectContaining({
        project: 'Marketing',
        title: 'Update press kit',
        status: 'todo',
        priority: 'low',
        assignee: null,
        labels: ['brand'],
      }),
      expect.objectContaining({
        project: 'Marketing',
        title: 'Order business cards',
        description: 'Ask for matte, 400 pcs',
        status: 'in_progress',
        priority: 'high',
        due: '2026-12-15T00:00',
        assignee: 'ana@example.com',
        labels: ['brand', 'print'],
      }),
      expect.objectContaining({
        project: 'Infrastructure',
        title: 'Renew TLS certificate',
        description: 'Wildcard cert\nexpires in January',
        status: 'backlog',
        priority: 'urgent',
        due: '2027-01-10T09:00',
      }),
      expect.objectContaining({
        project: 'Infrastructure',
        title: 'Archive old invoices',
        status: 'done',
        priority: 'none',
        due: null,
      }),
    ]);
    expect(row.report).toEqual({
      created: { labels: 3, projects: 2, tasks: 4 },
      skipped: [
        { what: 'row', reason: 'its title is empty', count: 1, examples: ['line 4'] },
        {
          what: 'priority',
          reason: 'not one of none, low, medium, high, urgent',
          count: 1,
          examples: ['line 7: someday'],
        },
        { what: 'due date', reason: 'not a date', count: 1, examples: ['line 7: next week'] },
      ],
      unknownPeople: ['nobody@elsewhere.test'],
    });
  });

  it('fails naming the columns the file has when the mapping names one it lacks', async () => {
    const target = await workspace(db.url, 'C2', [ana]);
    const { row } = await runImport(config, db.url, files, {
      workspaceId: target,
      by: ana.id,
      source: 'csv',
      file: fixture('tasks.csv'),
      options: { mapping: { title: 'Name' } },
    });
    expect(row).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^The CSV has no column "Name"; its columns are "Summary", "Details"/),
    });
  });
});

describe('Vikunja import', () => {
  it('reads the export zip: projects and child projects, buckets as columns, subtasks, labels, comments, files', async () => {
    const target = await workspace(db.url, 'V', [ana]);
    const { row } = await runImport(config, db.url, files, {
      workspaceId: target,
      by: ana.id,
      source: 'vikunja',
      file: await vikunjaZip(),
      fileName: 'vikunja-export.zip',
    });
    expect(row.status).toBe('succeeded');
    expect(await tasksOf(target)).toEqual([
      expect.objectContaining({
        project: 'Home',
        number: 3,
        title: 'Paint the hallway',
        status: 'backlog',
        priority: 'urgent',
      }),
      expect.objectContaining({
        project: 'Home',
        number: 1,
        title: 'Fix the kitchen tap',
        description: 'Drips since Sunday.\n- buy washer\n- call Jonas',
        status: 'in_progress',
        priority: 'high',
        due: '2026-12-05T17:00',
        // Vikunja's export blanks emails: nobody can be matched.
        assignee: null,
        labels: ['repair'],
        comments: ['?: I have a spare washer.\n\n— Jonas on Vikunja'],
        attachments: ['tap.png 31'],
      }),
      expect.objectContaining({
        project: 'Home',
        number: 2,
        title: 'Buy a washer',
        status: 'done',
        priority: 'low',
        parent: 'Fix the kitchen tap',
      }),
      expect.objectContaining({
        project: 'Home / Garden',
        title: 'Prune the apple tree',
        status: 'todo',
        due: null,
      }),
    ]);
    expect(await labelsOf(target)).toEqual([{ name: 'repair', color: '#e8445a' }]);
    const archived = await sql<{ name: string; archived: boolean }>(
      db.url,
      `SELECT name, archived FROM projects WHERE workspace_id = $1 ORDER BY created_at`,
      [target],
    );
    expect(archived).toEqual([
      { name: 'Home', archived: false },
      { name: 'Home / Garden', archived: true },
    ]);
    expect(row.report!.unknownPeople).toEqual(['Ana', 'Jonas']);
    expect(row.report!.skipped.map((s) => s.what)).toEqual(
      expect.arrayContaining(['repeat', 'saved filters']),
    );
  });

  it('fails for a zip without data.json', async () => {
    const target = await workspace(db.url, 'V2', [ana]);
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from('v0.24.1'), 'VERSION');
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
    const { row } = await runImport(config, db.url, files, {
      workspaceId: target,
      by: ana.id,
      source: 'vikunja',
      file: Buffer.concat(chunks),
    });
    expect(row).toMatchObject({
      status: 'failed',
      error: 'Not a Vikunja export: the zip needs data.json and VERSION.',
    });
  });
});

describe('Planka import', () => {
  it('reads a board as GET /api/boards/:id returns it, matching people by email', async () => {
    const target = await workspace(db.url, 'P', [ana]);
    const { row } = await runImport(config, db.url, files, {
      workspaceId: target,
      by: ana.id,
      source: 'planka',
      file: fixture('planka-board.json'),
    });
    expect(row.status).toBe('succeeded');
    expect(await tasksOf(target)).toEqual([
      expect.objectContaining({
        title: 'Audit log export',
        status: 'backlog',
        labels: ['berry-red'],
        assignee: null,
      }),
      expect.objectContaining({
        project: 'Sprint 14',
        title: 'Rate-limit the login API',
        status: 'in_progress',
        due: '2026-12-02T12:00',
        assignee: 'ana@example.com',
        labels: ['Backend'],
        checklist: ['[x] Pick the algorithm', '[ ] Load test'],
      }),
      expect.objectContaining({ title: 'Upgrade Postgres to 17', status: 'done', archived: true }),
    ]);
    expect(row.report!.unknownPeople).toEqual(['kim@contractor.test']);
    expect(row.report!.skipped.map((s) => `${s.what}: ${s.reason}`)).toEqual(
      expect.arrayContaining([
        'card: it is in the trash in Planka',
        "attachment: Planka's board JSON names files but does not hold them",
        "comments: Planka's board JSON does not include comments",
      ]),
    );
  });
});
