import { z } from 'zod';
import { blankTask, emptyDocument, type DocumentTask } from '../document.js';
import { ImportError } from '../report.js';
import { readJsonFile } from './taskstack.js';
import {
  clip,
  hexColor,
  instant,
  noFiles,
  oneAssignee,
  statusFromName,
  type ImportInput,
  type ImportSource,
} from './shared.js';

/**
 * A Planka board as its API returns it (`GET /api/boards/:id`, the JSON Planka's maintainers point to for an
 * export, since Planka has no export button): `{item: board, included: {users, lists, cards, labels, cardLabels,
 * cardMemberships, tasks, taskLists?, attachments, …}}`. Read for Planka 1.x (tasks name their card) and 2.x
 * (tasks belong to task lists of a card; lists have a `type`). Comments are not in that JSON, nor attachment files.
 */
const id = z.union([z.string(), z.number()]).transform(String);
const plankaBoard = z.object({
  item: z.object({ id, name: z.string() }).passthrough(),
  included: z
    .object({
      users: z
        .array(
          z
            .object({
              id,
              email: z.string().nullish(),
              name: z.string().nullish(),
              username: z.string().nullish(),
            })
            .passthrough(),
        )
        .default([]),
      lists: z.array(
        z
          .object({
            id,
            name: z.string().nullish(),
            position: z.number().nullish(),
            type: z.string().nullish(),
          })
          .passthrough(),
      ),
      cards: z.array(
        z
          .object({
            id,
            listId: id,
            name: z.string(),
            description: z.string().nullish(),
            position: z.number().nullish(),
            dueDate: z.string().nullish(),
            isDueCompleted: z.boolean().nullish(),
            isClosed: z.boolean().nullish(),
            createdAt: z.string().nullish(),
            creatorUserId: id.nullish(),
          })
          .passthrough(),
      ),
      labels: z
        .array(z.object({ id, name: z.string().nullish(), color: z.string().nullish() }).passthrough())
        .default([]),
      cardLabels: z.array(z.object({ cardId: id, labelId: id }).passthrough()).default([]),
      cardMemberships: z.array(z.object({ cardId: id, userId: id }).passthrough()).default([]),
      taskLists: z
        .array(z.object({ id, cardId: id, position: z.number().nullish() }).passthrough())
        .default([]),
      tasks: z
        .array(
          z
            .object({
              cardId: id.nullish(),
              taskListId: id.nullish(),
              name: z.string(),
              isCompleted: z.boolean().default(false),
              position: z.number().nullish(),
            })
            .passthrough(),
        )
        .default([]),
      attachments: z.array(z.object({ cardId: id, name: z.string().nullish() }).passthrough()).default([]),
    })
    .passthrough(),
});

export async function plankaSource(input: ImportInput): Promise<ImportSource> {
  const parsed = plankaBoard.safeParse(await readJsonFile(input.path, 'The Planka board'));
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ImportError(
      `Not a Planka board (${first?.path.join('.') || 'file'}: ${first?.message}). Save the answer of GET /api/boards/<id>.`,
    );
  }
  const { item: board, included } = parsed.data;
  const { report } = input;
  const document = emptyDocument(board.name);
  const users = new Map(included.users.map((u) => [u.id, u]));
  const userLabel = (uid: string) => {
    const u = users.get(uid);
    return u ? (u.email ?? u.name ?? u.username ?? uid) : uid;
  };
  const labelName = new Map<string, string>();
  for (const l of included.labels) {
    const name = (l.name?.trim() || l.color || 'label').slice(0, 50);
    labelName.set(l.id, name);
    if (!document.labels.some((x) => x.name.toLowerCase() === name.toLowerCase())) {
      document.labels.push({ name, color: hexColor(l.color) });
    }
  }
  const lists = new Map(included.lists.map((l) => [l.id, l]));
  const cardOfTaskList = new Map(included.taskLists.map((tl) => [tl.id, tl.cardId]));
  const pos = (n: number | null | undefined) => n ?? Number.MAX_SAFE_INTEGER;
  const cards = [...included.cards].sort(
    (a, b) =>
      pos(lists.get(a.listId)?.position) - pos(lists.get(b.listId)?.position) ||
      pos(a.position) - pos(b.position),
  );
  const tasks: DocumentTask[] = [];
  for (const card of cards) {
    const list = lists.get(card.listId);
    // Planka 2.x keeps trashed cards in a list of type "trash": those were deleted there.
    if (list?.type === 'trash') {
      report.skip('card', 'it is in the trash in Planka', card.name);
      continue;
    }
    const task = blankTask(
      `c${card.id}`,
      tasks.length + 1,
      clip(card.name.trim() || 'Untitled card', 500, report, 'card title', card.name),
    );
    task.status =
      card.isDueCompleted || list?.type === 'closed'
        ? 'done'
        : statusFromName(list?.name ?? list?.type ?? '');
    task.archived = list?.type === 'archive' || (card.isClosed ?? false);
    task.description = clip(card.description ?? '', 100_000, report, 'description', card.name);
    task.dueAt = instant(card.dueDate);
    task.createdAt = instant(card.createdAt);
    const creator = card.creatorUserId ? users.get(card.creatorUserId) : undefined;
    task.createdBy =
      creator?.email && input.memberEmails.has(creator.email.toLowerCase()) ? creator.email : null;
    task.labels = included.cardLabels
      .filter((cl) => cl.cardId === card.id)
      .map((cl) => labelName.get(cl.labelId))
      .filter((n): n is string => !!n);
    const people = included.cardMemberships
      .filter((m) => m.cardId === card.id)
      .map((m) => ({ email: users.get(m.userId)?.email ?? null, label: userLabel(m.userId) }));
    task.assignee = oneAssignee(people, input.memberEmails, report, card.name);
    task.checklist = included.tasks
      .filter((t) => (t.cardId ?? (t.taskListId ? cardOfTaskList.get(t.taskListId) : undefined)) === card.id)
      .sort((a, b) => pos(a.position) - pos(b.position))
      .filter((t) => t.name.trim())
      .map((t) => ({ text: t.name.trim().slice(0, 500), done: t.isCompleted, assignee: null, dueAt: null }));
    const files = included.attachments.filter((a) => a.cardId === card.id);
    for (const a of files)
      report.skip(
        'attachment',
        "Planka's board JSON names files but does not hold them",
        `${card.name}: ${a.name ?? ''}`,
      );
    tasks.push(task);
  }
  if (included.lists.length === 0 && included.cards.length > 0)
    throw new ImportError('The Planka board has cards but no lists.');
  document.projects.push({
    name: board.name.trim().slice(0, 200) || 'Planka board',
    description: '',
    archived: false,
    tasks,
  });
  report.skip('comments', "Planka's board JSON does not include comments", board.name);
  return { document, openFile: noFiles, close: () => {} };
}
