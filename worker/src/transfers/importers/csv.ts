import { csvColumnMapping } from '@taskstack/queues';
import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { basename, extname } from 'node:path';
import {
  blankTask,
  emptyDocument,
  PRIORITIES,
  type DocumentProject,
  type DocumentTask,
} from '../document.js';
import { ImportError } from '../report.js';
import { clip, instant, noFiles, statusFromName, type ImportInput, type ImportSource } from './shared.js';

/** Rows past this are not read: the import fails instead (IMPORT_MAX_TASKS bounds what is written). */
export const CSV_MAX_ROWS = 50_000;

const PRIORITY_WORDS: Record<string, DocumentTask['priority']> = {
  '': 'none',
  none: 'none',
  low: 'low',
  medium: 'medium',
  normal: 'medium',
  high: 'high',
  urgent: 'urgent',
  critical: 'urgent',
  highest: 'urgent',
  lowest: 'low',
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A CSV file with a header row, its columns mapped to task fields in the web app (`options.mapping`). Read as a
 * stream, so a large file is never held whole; a row without a title is skipped and reported with its line.
 */
export async function csvSource(input: ImportInput): Promise<ImportSource> {
  const mapping = csvColumnMapping.safeParse(input.options.mapping);
  if (!mapping.success)
    throw new ImportError('A CSV import needs a column mapping with at least the title column.');
  const map = mapping.data;
  const { report } = input;
  const fallbackProject =
    basename(input.fileName, extname(input.fileName)).slice(0, 200) || 'Imported from CSV';
  const projects = new Map<string, DocumentProject>();
  const parser = createReadStream(input.path).pipe(
    parse({
      columns: (header: string[]) => {
        const names = header.map((h) => h.trim());
        const missing = Object.values(map).filter((column) => !names.includes(column));
        if (missing.length) {
          throw new ImportError(
            `The CSV has no column ${missing.map((m) => `"${m}"`).join(', ')}; its columns are ${names.map((n) => `"${n}"`).join(', ')}.`,
          );
        }
        return names;
      },
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      to_line: CSV_MAX_ROWS + 2,
      info: true,
    }),
  );
  let rows = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      rows += 1;
      const cell = (column: string | undefined) => (column ? (record[column] ?? '').trim() : '');
      const title = cell(map.title);
      if (!title) {
        report.skip('row', 'its title is empty', `line ${info.lines}`);
        continue;
      }
      const projectName = (cell(map.project) || fallbackProject).slice(0, 200);
      const project = projects.get(projectName) ?? {
        name: projectName,
        description: '',
        archived: false,
        tasks: [],
      };
      projects.set(projectName, project);
      const task = blankTask(
        `row-${info.lines}`,
        project.tasks.length + 1,
        clip(title, 500, report, 'title', title),
      );
      task.description = clip(cell(map.description), 100_000, report, 'description', title);
      if (map.status) task.status = statusFromName(cell(map.status).replace(/_/g, ' '));
      const priority = cell(map.priority).toLowerCase();
      if (map.priority) {
        const known =
          PRIORITY_WORDS[priority] ?? (PRIORITIES as readonly string[]).find((p) => p === priority);
        if (known) task.priority = known as DocumentTask['priority'];
        else
          report.skip(
            'priority',
            'not one of none, low, medium, high, urgent',
            `line ${info.lines}: ${priority}`,
          );
      }
      const due = cell(map.dueAt);
      if (due) {
        task.dueAt = instant(due);
        if (!task.dueAt) report.skip('due date', 'not a date', `line ${info.lines}: ${due}`);
      }
      const assignee = cell(map.assignee);
      if (assignee) {
        if (EMAIL.test(assignee) && input.memberEmails.has(assignee.toLowerCase())) task.assignee = assignee;
        else report.unknownPerson(assignee);
      }
      task.labels = cell(map.labels)
        .split(/[,;|]/)
        .map((l) => l.trim().slice(0, 50))
        .filter(Boolean);
      project.tasks.push(task);
    }
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError(`The CSV cannot be read: ${(error as Error).message}`);
  }
  if (rows > CSV_MAX_ROWS) throw new ImportError(`The CSV has more than ${CSV_MAX_ROWS} rows; split it.`);
  const document = emptyDocument(fallbackProject);
  document.projects = [...projects.values()];
  return { document, openFile: noFiles, close: () => {} };
}
