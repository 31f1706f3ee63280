import type { Readable } from 'node:stream';
import type { DocumentTask, ExportDocument } from '../document.js';
import type { ImportReport } from '../report.js';

/** What every importer gets: the uploaded file on local disk and where to report what it leaves out. */
export type ImportInput = {
  path: string;
  fileName: string;
  report: ImportReport;
  options: Record<string, unknown>;
  /** Lower-cased emails of the workspace's members: the only people an import can name. */
  memberEmails: Set<string>;
};

/** What every importer gives: the document to write and a way to read the files it names. */
export type ImportSource = {
  document: ExportDocument;
  openFile: (path: string) => Promise<Readable | undefined>;
  close: () => void;
};

export const noFiles = async () => undefined;

/**
 * taskstack's four columns from another tool's list or bucket name: the usual words for each, in English and a few
 * other languages; anything else is a to-do.
 */
export function statusFromName(name: string): DocumentTask['status'] {
  const n = name.trim().toLowerCase();
  if (/^(done|complete[d]?|finished|closed|shipped|erledigt|fertig|terminé|fait|hecho|listo)\b/.test(n))
    return 'done';
  if (/(in progress|doing|in review|review|wip|started|ongoing|in arbeit|en cours|en progreso)/.test(n)) {
    return 'in_progress';
  }
  if (/^(backlog|icebox|someday|ideas?|later)\b/.test(n)) return 'backlog';
  return 'todo';
}

/** Named colours of Trello and Planka as hex, close to how those apps draw them. */
const NAMED_COLORS: Record<string, string> = {
  green: '#4bce97',
  yellow: '#e2b203',
  orange: '#faa53d',
  red: '#f87462',
  purple: '#9f8fef',
  blue: '#579dff',
  sky: '#6cc3e0',
  lime: '#94c748',
  pink: '#e774bb',
  black: '#8590a2',
};

/** A hex colour for `color` (`#abc123`, `abc123`, a Trello name or a Planka one such as `berry-red`). */
export function hexColor(color: string | null | undefined): string {
  if (!color) return '#64748b';
  const c = color.trim().toLowerCase();
  if (/^#?[0-9a-f]{6}$/.test(c)) return c.startsWith('#') ? c : `#${c}`;
  const base = Object.keys(NAMED_COLORS).find(
    (name) => c === name || c.startsWith(`${name}_`) || c.endsWith(`-${name}`),
  );
  return base ? NAMED_COLORS[base]! : '#64748b';
}

/** An instant the document takes, or null for a missing or unreadable one (and Go's zero time). */
export function instant(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1900) return null;
  return date.toISOString();
}

/** Plain text from the HTML some tools store descriptions and comments as (Vikunja's editor writes HTML). */
export function textFromHtml(html: string): string {
  if (!/<[a-z][^>]*>/i.test(html)) return html;
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6])>/gi, '\n')
    .replace(/<li[^>]*>/gi, '- ')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Clips text to a document limit, noting in the report that it was cut. */
export function clip(text: string, max: number, report: ImportReport, what: string, example: string): string {
  if (text.length <= max) return text;
  report.skip(what, `longer than ${max} characters; the rest was cut`, example);
  return text.slice(0, max);
}

/** The first assignee that is a member by email wins; the others are reported (a task has one assignee). */
export function oneAssignee(
  people: { email: string | null; label: string }[],
  members: Set<string>,
  report: ImportReport,
  taskTitle: string,
): string | null {
  const known = people.filter((p) => p.email && members.has(p.email.toLowerCase()));
  for (const p of people) if (!known.includes(p)) report.unknownPerson(p.label);
  if (known.length > 1)
    report.skip('assignee', 'a task has one assignee; the first member was kept', taskTitle);
  return known[0]?.email ?? null;
}
