import type { WorkspaceSnapshot } from '@taskstack/db/repositories';
import { STATUSES, type DocumentTask, type ExportDocument } from './document.js';

/** A file of the export: where it goes in the zip and which stored attachment it is. */
export type ExportedFile = { path: string; storageKey: string; size: number };

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** A name that is safe as one path segment in a zip on any system. */
const segment = (name: string) => name.replace(/[^\p{L}\p{N}._ -]+/gu, '_').slice(0, 100) || 'file';

/**
 * Turns a workspace's rows into the export document and the list of attachment files to put beside it. Refs are
 * derived from the data (`p<project>-<number>`, `r<series>`), not from database ids, so exporting a re-imported
 * workspace gives the same document.
 */
export function buildExportDocument(
  snapshot: WorkspaceSnapshot,
  exportedAt: Date,
): { document: ExportDocument; files: ExportedFile[] } {
  const emailOf = new Map(snapshot.users.map((u) => [u.id, u.email]));
  const person = (id: string | null) => (id ? (emailOf.get(id) ?? null) : null);
  const labelName = new Map(snapshot.labels.map((l) => [l.id, l.name]));
  const projectIndex = new Map(snapshot.projects.map((p, i) => [p.id, i + 1]));
  const taskRef = new Map(snapshot.tasks.map((t) => [t.id, `p${projectIndex.get(t.projectId)}-${t.number}`]));
  const byTask = <T extends { taskId: string }>(rows: T[]) => {
    const map = new Map<string, T[]>();
    for (const row of rows) map.set(row.taskId, [...(map.get(row.taskId) ?? []), row]);
    return map;
  };
  const checklists = byTask(snapshot.checklistItems);
  const comments = byTask(snapshot.comments);
  const attachments = byTask(snapshot.attachments);
  const files: ExportedFile[] = [];

  const toTask = (t: WorkspaceSnapshot['tasks'][number]): DocumentTask => {
    const ref = taskRef.get(t.id)!;
    return {
      ref,
      number: t.number,
      title: t.title,
      description: t.description,
      status: t.status as DocumentTask['status'],
      priority: t.priority as DocumentTask['priority'],
      dueAt: iso(t.dueAt),
      archived: t.archived,
      assignee: person(t.assigneeId),
      createdBy: person(t.createdById),
      parent: t.parentId ? (taskRef.get(t.parentId) ?? null) : null,
      createdAt: iso(t.createdAt),
      labels: t.labelIds.map((id) => labelName.get(id)!).sort((a, b) => a.localeCompare(b)),
      checklist: (checklists.get(t.id) ?? []).map((i) => ({
        text: i.text,
        done: i.done,
        assignee: person(i.assigneeId),
        dueAt: iso(i.dueAt),
      })),
      comments: (comments.get(t.id) ?? []).map((c) => ({
        author: person(c.authorId),
        body: c.body,
        createdAt: iso(c.createdAt),
      })),
      attachments: (attachments.get(t.id) ?? []).map((a, i) => {
        const path = `attachments/${ref}/${i + 1}-${segment(a.filename)}`;
        files.push({ path, storageKey: a.storageKey, size: a.size });
        return { filename: a.filename, contentType: a.contentType, size: a.size, path };
      }),
    };
  };

  // Board order: by column, then position within it; the importer gives positions in this order again.
  const statusRank = (status: string) => STATUSES.indexOf(status as (typeof STATUSES)[number]);
  const ordered = [...snapshot.tasks].sort(
    (a, b) =>
      statusRank(a.status) - statusRank(b.status) ||
      (a.position < b.position ? -1 : a.position > b.position ? 1 : 0),
  );
  const document: ExportDocument = {
    format: 'taskstack-export',
    version: 1,
    exportedAt: exportedAt.toISOString(),
    workspace: { name: snapshot.workspace.name, timeZone: snapshot.workspace.timeZone },
    members: snapshot.users
      .filter((u) => u.role !== null)
      .map((u) => ({ email: u.email, name: u.name, role: u.role })),
    labels: snapshot.labels.map((l) => ({ name: l.name, color: l.color })),
    projects: snapshot.projects.map((p) => ({
      name: p.name,
      description: p.description,
      archived: p.archived,
      tasks: ordered.filter((t) => t.projectId === p.id).map(toTask),
    })),
    recurrences: snapshot.series.map((s, i) => ({
      ref: `r${i + 1}`,
      rule: s.rule as ExportDocument['recurrences'][number]['rule'],
      startsOn: s.startsOn,
      made: s.made,
      finished: s.finished,
      occurrences: snapshot.occurrences
        .filter((o) => o.seriesId === s.id)
        .map((o) => ({
          date: o.date,
          follows: o.followsDate,
          task: o.taskId ? (taskRef.get(o.taskId) ?? null) : null,
        })),
    })),
  };
  return { document, files };
}

/** The CSV's columns, one row per task: what a spreadsheet needs, not a way back in (the JSON is). */
export const CSV_COLUMNS = [
  'project',
  'number',
  'title',
  'description',
  'status',
  'priority',
  'due_at',
  'assignee',
  'labels',
  'parent',
  'checklist_done',
  'checklist_total',
  'comments',
  'attachments',
  'created_by',
  'created_at',
] as const;

export function csvRows(document: ExportDocument): string[][] {
  return document.projects.flatMap((project) =>
    project.tasks.map((t) => [
      project.name,
      String(t.number),
      t.title,
      t.description,
      t.status,
      t.priority,
      t.dueAt ?? '',
      t.assignee ?? '',
      t.labels.join(', '),
      t.parent ?? '',
      String(t.checklist.filter((i) => i.done).length),
      String(t.checklist.length),
      String(t.comments.length),
      String(t.attachments.length),
      t.createdBy ?? '',
      t.createdAt ?? '',
    ]),
  );
}
