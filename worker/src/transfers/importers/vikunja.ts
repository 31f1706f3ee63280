import { z } from 'zod';
import { blankTask, emptyDocument, type DocumentProject, type DocumentTask } from '../document.js';
import { ImportError } from '../report.js';
import { readZip } from '../zip.js';
import { parseJson } from './taskstack.js';
import {
  clip,
  hexColor,
  instant,
  oneAssignee,
  statusFromName,
  textFromHtml,
  type ImportInput,
  type ImportSource,
} from './shared.js';

/**
 * Vikunja's data export ("Settings → Data export"): a zip of `VERSION`, `data.json` (the user's projects with their
 * tasks, buckets and child projects), `filters.json` and `files/<file id>` for attachments and backgrounds — as
 * go-vikunja/vikunja's `pkg/models/export.go` writes it and its `vikunja-file` migrator reads it (checked against
 * the 0.22–0.24 / 1.0 layout, with project views and `task_buckets`). Vikunja blanks assignees' emails in its
 * export, so people are matched only where an email is there and reported otherwise.
 */
const user = z
  .object({ username: z.string().optional(), name: z.string().optional(), email: z.string().optional() })
  .passthrough();
const vikunjaTask = z
  .object({
    id: z.number(),
    title: z.string(),
    description: z.string().nullish(),
    done: z.boolean().default(false),
    due_date: z.string().nullish(),
    priority: z.number().nullish(),
    index: z.number().optional(),
    created: z.string().nullish(),
    bucket_id: z.number().nullish(),
    repeat_after: z.number().nullish(),
    assignees: z.array(user).nullish(),
    labels: z.array(z.object({ title: z.string(), hex_color: z.string().nullish() })).nullish(),
    attachments: z
      .array(
        z.object({
          file: z.object({
            id: z.number(),
            name: z.string(),
            mime: z.string().nullish(),
            size: z.number().nullish(),
          }),
        }),
      )
      .nullish(),
    comments: z
      .array(z.object({ comment: z.string(), author: user.nullish(), created: z.string().nullish() }))
      .nullish(),
    related_tasks: z.record(z.string(), z.array(z.object({ id: z.number() })).nullish()).nullish(),
    created_by: user.nullish(),
  })
  .passthrough();
type VikunjaProject = {
  id: number;
  title: string;
  description?: string | null | undefined;
  is_archived?: boolean | undefined;
  tasks?: z.infer<typeof vikunjaTask>[] | null | undefined;
  buckets?: { id: number; title: string }[] | null | undefined;
  task_buckets?: { task_id: number; bucket_id: number }[] | null | undefined;
  child_projects?: VikunjaProject[] | null | undefined;
};
const vikunjaProject: z.ZodType<VikunjaProject> = z.lazy(() =>
  z
    .object({
      id: z.number(),
      title: z.string(),
      description: z.string().nullish(),
      is_archived: z.boolean().optional(),
      tasks: z.array(vikunjaTask).nullish(),
      buckets: z.array(z.object({ id: z.number(), title: z.string() }).passthrough()).nullish(),
      task_buckets: z.array(z.object({ task_id: z.number(), bucket_id: z.number() }).passthrough()).nullish(),
      child_projects: z.array(vikunjaProject).nullish(),
    })
    .passthrough(),
);

/** Vikunja's priorities 0 (unset) to 5 (DO NOW). */
const PRIORITY: DocumentTask['priority'][] = ['none', 'low', 'medium', 'high', 'urgent', 'urgent'];

const label = (u: z.infer<typeof user> | null | undefined) => u?.name || u?.username || 'someone';

export async function vikunjaSource(input: ImportInput): Promise<ImportSource> {
  const zip = await readZip(input.path);
  try {
    const version = (await zip.text('VERSION', 1024))?.trim();
    const data = await zip.text('data.json');
    if (!data || !version)
      throw new ImportError('Not a Vikunja export: the zip needs data.json and VERSION.');
    const parsed = z.array(vikunjaProject).safeParse(parseJson(data, 'data.json'));
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new ImportError(`Not a Vikunja export (data.json ${first?.path.join('.')}: ${first?.message}).`);
    }
    const { report } = input;
    const document = emptyDocument('Vikunja');
    const flat: { project: VikunjaProject; name: string }[] = [];
    const walk = (projects: VikunjaProject[], prefix: string) => {
      for (const p of projects) {
        const name = `${prefix}${p.title}`.slice(0, 200);
        flat.push({ project: p, name });
        walk(p.child_projects ?? [], `${name} / `);
      }
    };
    walk(parsed.data, '');
    for (const { project, name } of flat) {
      const buckets = new Map((project.buckets ?? []).map((b) => [b.id, b.title]));
      const bucketOf = new Map((project.task_buckets ?? []).map((tb) => [tb.task_id, tb.bucket_id]));
      const tasks = project.tasks ?? [];
      const ref = (id: number) => `v${id}`;
      const parentOf = new Map<number, number>();
      for (const t of tasks) for (const sub of t.related_tasks?.subtask ?? []) parentOf.set(sub.id, t.id);
      const out: DocumentTask[] = tasks.map((t, i) => {
        const task = blankTask(
          ref(t.id),
          t.index && t.index > 0 ? t.index : i + 1,
          clip(t.title.trim() || 'Untitled', 500, report, 'title', t.title),
        );
        const bucket = buckets.get(t.bucket_id || bucketOf.get(t.id) || -1);
        task.status = t.done ? 'done' : statusFromName(bucket ?? '');
        task.description = clip(textFromHtml(t.description ?? ''), 100_000, report, 'description', t.title);
        task.priority = PRIORITY[t.priority ?? 0] ?? 'none';
        task.dueAt = instant(t.due_date);
        task.createdAt = instant(t.created);
        task.parent =
          parentOf.has(t.id) && tasks.some((p) => p.id === parentOf.get(t.id))
            ? ref(parentOf.get(t.id)!)
            : null;
        if (parentOf.has(t.id) && !task.parent) {
          report.skip('subtask link', 'its parent is in another project', t.title);
        }
        const people = (t.assignees ?? []).map((a) => ({ email: a.email || null, label: label(a) }));
        task.assignee = oneAssignee(people, input.memberEmails, report, t.title);
        task.createdBy = t.created_by?.email || null;
        task.labels = (t.labels ?? []).map((l) => l.title.trim().slice(0, 50)).filter(Boolean);
        for (const l of t.labels ?? []) {
          const n = l.title.trim().slice(0, 50);
          if (n && !document.labels.some((x) => x.name.toLowerCase() === n.toLowerCase())) {
            document.labels.push({ name: n, color: hexColor(l.hex_color) });
          }
        }
        task.comments = (t.comments ?? [])
          .map((c) => ({ c, body: textFromHtml(c.comment) }))
          .filter(({ body }) => body)
          .map(({ c, body }) => {
            const email = c.author?.email || null;
            if (!email || !input.memberEmails.has(email.toLowerCase())) report.unknownPerson(label(c.author));
            const known = email && input.memberEmails.has(email.toLowerCase());
            return {
              author: known ? email : null,
              body: (known ? body : `${body}\n\n— ${label(c.author)} on Vikunja`).slice(0, 100_000),
              createdAt: instant(c.created),
            };
          });
        task.attachments = (t.attachments ?? []).map((a) => ({
          filename: a.file.name.slice(0, 255) || 'file',
          contentType: a.file.mime || 'application/octet-stream',
          size: Math.max(0, a.file.size ?? 0),
          path: `files/${a.file.id}`,
        }));
        if (t.repeat_after)
          report.skip(
            'repeat',
            "Vikunja's repeat-after interval is not a calendar rule; set Repeat again",
            t.title,
          );
        return task;
      });
      const numbers = new Set<number>();
      let next = Math.max(0, ...out.map((t) => t.number)) + 1;
      for (const t of out) {
        if (numbers.has(t.number)) t.number = next++;
        numbers.add(t.number);
      }
      document.projects.push({
        name: name || 'Vikunja project',
        description: clip(
          textFromHtml(project.description ?? ''),
          10_000,
          report,
          'project description',
          name,
        ),
        archived: project.is_archived ?? false,
        tasks: out,
      } satisfies DocumentProject);
    }
    if (zip.names.includes('filters.json'))
      report.skip('saved filters', 'Vikunja filters have no counterpart; not imported', 'filters.json');
    document.workspace.name = `Vikunja ${version}`;
    return { document, openFile: (path) => zip.open(path), close: () => zip.close() };
  } catch (error) {
    zip.close();
    throw error;
  }
}
