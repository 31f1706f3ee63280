import {
  importAttachment,
  importChecklistItem,
  importComment,
  importLabel,
  importOccurrence,
  importProject,
  importSeries,
  importTask,
  importTaskLabels,
  importTimeZone,
  memberIdsByEmail,
  type Queryable,
} from '@taskstack/db/repositories';
import { generateNKeysBetween } from 'fractional-indexing';
import { randomUUID } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import type { AttachmentFiles } from '../trash/attachment-files.js';
import { STATUSES, type DocumentTask, type ExportDocument } from './document.js';
import type { ImportReport } from './report.js';

/** A label a task names that the file's label list lacks gets this neutral grey. */
const DEFAULT_LABEL_COLOR = '#64748b';

export type WriteContext = {
  /** The import's transaction. */
  db: Queryable;
  workspaceId: string;
  importerId: string;
  report: ImportReport;
  /** An attachment's bytes from the uploaded file, or undefined when the file does not hold it. */
  openFile: (path: string) => Promise<Readable | undefined>;
  files: AttachmentFiles;
  /** Keys written so far, for the caller to delete if the transaction does not commit. */
  writtenKeys: string[];
  progress: (fraction: number, phase: string) => Promise<void>;
};

/** Counts the bytes that pass, for the attachment row's size. */
function byteCounter() {
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  return { stream, bytes: () => bytes };
}

/**
 * Writes a checked document into the workspace: its labels (merged by name with the workspace's), projects (always
 * new ones), tasks with their positions given again in the file's order, subtasks, checklists, comments,
 * attachments and repeat series. People are matched by email to the workspace's members; anyone else is reported
 * and left out (the task stays, unassigned). Runs inside the caller's transaction.
 */
export async function writeDocument(document: ExportDocument, ctx: WriteContext): Promise<void> {
  const { db, workspaceId, report } = ctx;
  const members = await memberIdsByEmail(db, workspaceId);
  const person = (email: string | null): string | null => {
    if (!email) return null;
    const id = members.get(email.toLowerCase());
    if (!id) report.unknownPerson(email);
    return id ?? null;
  };
  for (const member of document.members) person(member.email);
  if (document.workspace.timeZone) await importTimeZone(db, workspaceId, document.workspace.timeZone);

  const labelIds = new Map<string, string>();
  const label = async (name: string, color: string) => {
    const key = name.trim().toLowerCase();
    const known = labelIds.get(key);
    if (known) return known;
    const { id, created } = await importLabel(db, workspaceId, name.trim(), color);
    if (created) report.count('labels');
    labelIds.set(key, id);
    return id;
  };
  for (const l of document.labels) await label(l.name, l.color);

  const taskIds = new Map<string, string>();
  const total = document.projects.reduce((n, p) => n + p.tasks.length, 0);
  let done = 0;
  for (const project of document.projects) {
    // Numbers stay as in the file; a number used twice gets the next free one.
    const numbers = new Set<number>();
    let next = Math.max(0, ...project.tasks.map((t) => t.number)) + 1;
    const numbered = project.tasks.map((t) => {
      if (!numbers.has(t.number)) {
        numbers.add(t.number);
        return t;
      }
      report.skip('task number', 'used twice in one project; renumbered', `${project.name} #${t.number}`);
      return { ...t, number: next++ };
    });
    const projectId = await importProject(db, {
      workspaceId,
      name: project.name,
      description: project.description,
      archived: project.archived,
      taskCounter: next - 1,
    });
    report.count('projects');

    const refs = new Set(numbered.map((t) => t.ref));
    const parentOf = (t: DocumentTask): string | null => {
      if (!t.parent) return null;
      const parent = numbered.find((p) => p.ref === t.parent);
      if (!parent || !refs.has(t.parent)) {
        report.skip('subtask link', 'its parent is not a task of the same project', t.title);
        return null;
      }
      if (parent.parent) {
        report.skip('subtask link', 'subtasks are one level deep; kept as a plain task', t.title);
        return null;
      }
      return t.parent;
    };
    const positions = new Map<string, string>();
    for (const status of STATUSES) {
      const column = numbered.filter((t) => t.status === status);
      generateNKeysBetween(null, null, column.length).forEach((key, i) => positions.set(column[i]!.ref, key));
    }
    // Parents first, so a subtask can name its parent's id.
    const ordered = [...numbered.filter((t) => !parentOf(t)), ...numbered.filter((t) => parentOf(t))];
    for (const t of ordered) {
      if (taskIds.has(t.ref)) {
        report.skip('task', 'its ref is used twice in the file', t.title);
        continue;
      }
      const parentRef = parentOf(t);
      const taskId = await importTask(db, {
        workspaceId,
        projectId,
        number: t.number,
        title: t.title,
        description: t.description,
        status: t.status,
        position: positions.get(t.ref)!,
        priority: t.priority,
        dueAt: t.dueAt ? new Date(t.dueAt) : null,
        archived: t.archived,
        assigneeId: person(t.assignee),
        createdById: person(t.createdBy),
        parentId: parentRef ? (taskIds.get(parentRef) ?? null) : null,
        createdAt: t.createdAt ? new Date(t.createdAt) : null,
      });
      taskIds.set(t.ref, taskId);
      report.count(parentRef ? 'subtasks' : 'tasks');
      await writeTaskDetails(t, taskId, ctx, person, label);
      done += 1;
      if (done % 25 === 0) await ctx.progress(done / Math.max(total, 1), `tasks ${done}/${total}`);
    }
  }

  for (const series of document.recurrences) {
    const seriesId = await importSeries(db, {
      workspaceId,
      rule: series.rule,
      startsOn: series.startsOn,
      made: series.made,
      finished: series.finished,
      createdById: ctx.importerId,
    });
    const used = new Set<string>();
    const dates = new Set<string>();
    for (const o of [...series.occurrences].sort((a, b) => a.date.localeCompare(b.date))) {
      const follows = o.follows && dates.has(o.follows) ? o.follows : null;
      let taskId = o.task ? (taskIds.get(o.task) ?? null) : null;
      if (taskId && used.has(taskId)) taskId = null;
      if (taskId) used.add(taskId);
      await importOccurrence(db, { seriesId, date: o.date, followsDate: follows, taskId });
      dates.add(o.date);
    }
    report.count('repeat series');
  }
}

async function writeTaskDetails(
  t: DocumentTask,
  taskId: string,
  ctx: WriteContext,
  person: (email: string | null) => string | null,
  label: (name: string, color: string) => Promise<string>,
): Promise<void> {
  const { db, report } = ctx;
  const ids = [];
  for (const name of t.labels) ids.push(await label(name, DEFAULT_LABEL_COLOR));
  await importTaskLabels(db, taskId, ids);
  const keys = generateNKeysBetween(null, null, t.checklist.length);
  for (const [i, item] of t.checklist.entries()) {
    await importChecklistItem(db, {
      taskId,
      text: item.text,
      done: item.done,
      position: keys[i]!,
      assigneeId: person(item.assignee),
      dueAt: item.dueAt ? new Date(item.dueAt) : null,
    });
  }
  if (t.checklist.length) report.count('checklist items', t.checklist.length);
  for (const c of t.comments) {
    await importComment(db, {
      taskId,
      authorId: person(c.author),
      body: c.body,
      createdAt: c.createdAt ? new Date(c.createdAt) : null,
    });
  }
  if (t.comments.length) report.count('comments', t.comments.length);
  for (const a of t.attachments) {
    const body = await ctx.openFile(a.path);
    if (!body) {
      report.skip('attachment', 'its file is not in the upload', `${t.title}: ${a.filename}`);
      continue;
    }
    const storageKey = `${ctx.workspaceId}/${taskId}/${randomUUID()}`;
    const counter = byteCounter();
    ctx.writtenKeys.push(storageKey);
    // A broken zip entry fails the counted stream too, so the write rejects instead of storing a short file.
    body.on('error', (error) => counter.stream.destroy(error));
    await ctx.files.write(storageKey, body.pipe(counter.stream), a.contentType);
    await importAttachment(db, {
      taskId,
      uploadedById: ctx.importerId,
      filename: a.filename,
      contentType: a.contentType,
      size: counter.bytes(),
      storageKey,
    });
    report.count('attachments');
  }
}
