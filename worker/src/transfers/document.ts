import { FREQUENCIES, WEEKDAYS } from '@taskstack/db';
import { z } from 'zod';

/**
 * The JSON of a taskstack export (`workspace.json` in the zip), version 1. It is also what every importer turns its
 * source into before one writer puts it in the database, so an import from Trello goes through the same checks
 * as a re-import of our own export. People are emails (matched to members on import); tasks, labels and series
 * are named by `ref` (stable within one file) or by name, never by database ids.
 */
export const STATUSES = ['backlog', 'todo', 'in_progress', 'done'] as const;
export const PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'] as const;

const instant = z.iso.datetime({ offset: true }).nullable();
const email = z.string().max(320).nullable();
const localDate = z.iso.date();

const recurrenceRule = z
  .object({
    frequency: z.enum(FREQUENCIES),
    interval: z.number().int().min(1).max(366),
    weekdays: z.array(z.enum(WEEKDAYS)).min(1).max(7).optional(),
    monthDay: z.number().int().min(-1).max(31).optional(),
    nthWeekday: z.object({ nth: z.number().int().min(-1).max(4), weekday: z.enum(WEEKDAYS) }).optional(),
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
    until: localDate.optional(),
    count: z.number().int().min(2).max(1000).optional(),
  })
  .strict();

export const documentTask = z.object({
  ref: z.string().min(1).max(100),
  number: z.number().int().min(1),
  title: z.string().trim().min(1).max(500),
  description: z.string().max(100_000),
  status: z.enum(STATUSES),
  priority: z.enum(PRIORITIES),
  dueAt: instant,
  archived: z.boolean(),
  assignee: email,
  createdBy: email,
  /** The parent's `ref`: a subtask, one level deep, in the same project. */
  parent: z.string().nullable(),
  createdAt: instant,
  labels: z.array(z.string()).max(100),
  checklist: z
    .array(
      z.object({
        text: z.string().trim().min(1).max(500),
        done: z.boolean(),
        assignee: email,
        dueAt: instant,
      }),
    )
    .max(500),
  comments: z.array(z.object({ author: email, body: z.string().min(1).max(100_000), createdAt: instant })),
  /** `path` names the file inside the zip (`attachments/…`). */
  attachments: z.array(
    z.object({
      filename: z.string().min(1).max(255),
      contentType: z.string().min(1).max(255),
      size: z.number().int().min(0),
      path: z.string().min(1).max(1000),
    }),
  ),
});

export const exportDocument = z.object({
  format: z.literal('taskstack-export'),
  version: z.literal(1),
  exportedAt: z.string(),
  workspace: z.object({ name: z.string(), timeZone: z.string().nullable() }),
  members: z.array(z.object({ email: z.string(), name: z.string(), role: z.string().nullable() })),
  labels: z.array(
    z.object({ name: z.string().trim().min(1).max(50), color: z.string().regex(/^#[0-9a-f]{6}$/) }),
  ),
  projects: z.array(
    z.object({
      name: z.string().trim().min(1).max(200),
      description: z.string().max(10_000),
      archived: z.boolean(),
      tasks: z.array(documentTask),
    }),
  ),
  recurrences: z.array(
    z.object({
      ref: z.string().min(1).max(100),
      rule: recurrenceRule,
      startsOn: localDate,
      made: z.number().int().min(1),
      finished: z.boolean(),
      /** Each date the series made, in order; `task` is null where that occurrence's task was deleted. */
      occurrences: z.array(
        z.object({ date: localDate, follows: localDate.nullable(), task: z.string().nullable() }),
      ),
    }),
  ),
});

export type ExportDocument = z.infer<typeof exportDocument>;
export type DocumentTask = z.infer<typeof documentTask>;
export type DocumentProject = ExportDocument['projects'][number];

/** A document with nothing in it yet, for importers to fill. */
export function emptyDocument(name: string): ExportDocument {
  return {
    format: 'taskstack-export',
    version: 1,
    exportedAt: new Date().toISOString(),
    workspace: { name, timeZone: null },
    members: [],
    labels: [],
    projects: [],
    recurrences: [],
  };
}

/** A task with every optional field empty, for importers to override. */
export function blankTask(ref: string, number: number, title: string): DocumentTask {
  return {
    ref,
    number,
    title,
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
  };
}

/** A readable reason for the first few problems of a file that does not match the format. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`)
    .join('; ');
}
