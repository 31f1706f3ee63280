import { z } from 'zod';
import { blankTask, emptyDocument, type DocumentTask } from '../document.js';
import { ImportError } from '../report.js';
import { readJsonFile } from './taskstack.js';
import {
  clip,
  hexColor,
  instant,
  noFiles,
  statusFromName,
  type ImportInput,
  type ImportSource,
} from './shared.js';

/**
 * A Trello board as "Menu → Print, export and share → Export as JSON" writes it: the fields read here, others
 * ignored. Trello names no one by email, so members are reported rather than matched.
 */
const member = z.object({ id: z.string(), fullName: z.string().optional(), username: z.string().optional() });
const trelloBoard = z.object({
  name: z.string(),
  desc: z.string().optional().default(''),
  labels: z
    .array(z.object({ id: z.string(), name: z.string().optional().default(''), color: z.string().nullish() }))
    .default([]),
  lists: z.array(
    z.object({ id: z.string(), name: z.string(), closed: z.boolean().default(false), pos: z.number() }),
  ),
  cards: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      desc: z.string().optional().default(''),
      closed: z.boolean().default(false),
      idList: z.string(),
      idLabels: z.array(z.string()).default([]),
      idMembers: z.array(z.string()).default([]),
      due: z.string().nullish(),
      dueComplete: z.boolean().default(false),
      pos: z.number(),
      idShort: z.number().optional(),
      dateLastActivity: z.string().optional(),
      attachments: z
        .array(z.object({ name: z.string().optional().default(''), url: z.string().optional().default('') }))
        .default([]),
    }),
  ),
  checklists: z
    .array(
      z.object({
        idCard: z.string(),
        name: z.string().optional().default(''),
        pos: z.number().default(0),
        checkItems: z
          .array(
            z.object({
              name: z.string(),
              state: z.string(),
              pos: z.number().default(0),
              due: z.string().nullish(),
            }),
          )
          .default([]),
      }),
    )
    .default([]),
  members: z.array(member).default([]),
  actions: z
    .array(
      z.object({
        type: z.string(),
        date: z.string().optional(),
        data: z
          .object({ text: z.string().optional(), card: z.object({ id: z.string() }).optional() })
          .passthrough(),
        memberCreator: member.optional(),
      }),
    )
    .default([]),
});

const who = (m: z.infer<typeof member> | undefined) =>
  m ? `${m.fullName ?? m.username ?? m.id}${m.username ? ` (@${m.username})` : ''}` : 'someone';

/** A Trello board export: one project; lists become columns by their names, checklists one checklist. */
export async function trelloSource(input: ImportInput): Promise<ImportSource> {
  const parsed = trelloBoard.safeParse(await readJsonFile(input.path, 'The Trello export'));
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ImportError(
      `Not a Trello board export (${first?.path.join('.') || 'file'}: ${first?.message}). ` +
        'Export it from the board menu: Print, export and share → Export as JSON.',
    );
  }
  const board = parsed.data;
  const { report } = input;
  const document = emptyDocument(board.name);
  const labelName = new Map<string, string>();
  for (const l of board.labels) {
    // Trello allows nameless labels, told apart by colour only.
    const name = (l.name.trim() || l.color || 'label').slice(0, 50);
    labelName.set(l.id, name);
    if (!document.labels.some((x) => x.name.toLowerCase() === name.toLowerCase())) {
      document.labels.push({ name, color: hexColor(l.color) });
    }
  }
  const members = new Map(board.members.map((m) => [m.id, m]));
  const lists = new Map(board.lists.map((l) => [l.id, l]));
  const listOrder = (id: string) => lists.get(id)?.pos ?? Number.MAX_SAFE_INTEGER;
  for (const list of board.lists) {
    const status = statusFromName(list.name);
    report.skip('list', `columns are fixed; its cards went to ${status}`, list.name);
  }
  const cards = [...board.cards].sort((a, b) => listOrder(a.idList) - listOrder(b.idList) || a.pos - b.pos);
  const tasks: DocumentTask[] = cards.map((card, i) => {
    const list = lists.get(card.idList);
    const task = blankTask(
      card.id,
      card.idShort ?? i + 1,
      clip(card.name.trim() || 'Untitled card', 500, report, 'card title', card.name),
    );
    task.status = card.dueComplete ? 'done' : statusFromName(list?.name ?? '');
    // Closed cards and cards of closed lists are kept, archived, as Trello keeps them.
    task.archived = card.closed || (list?.closed ?? false);
    task.dueAt = instant(card.due);
    task.createdAt = instant(card.dateLastActivity);
    task.labels = card.idLabels.map((id) => labelName.get(id)).filter((n): n is string => !!n);
    for (const id of card.idMembers) report.unknownPerson(who(members.get(id)));
    let description = card.desc;
    const links = card.attachments.filter((a) => a.url);
    if (links.length) {
      report.skip(
        'attachment',
        "Trello's export holds links, not files; the links were added to the description",
        card.name,
      );
      description += `\n\nAttachments (from Trello):\n${links.map((a) => `- ${a.name || a.url}: ${a.url}`).join('\n')}`;
    }
    task.description = clip(description.trim(), 100_000, report, 'description', card.name);
    const checklists = board.checklists.filter((c) => c.idCard === card.id).sort((a, b) => a.pos - b.pos);
    if (checklists.length > 1)
      report.skip('checklist name', 'a task has one checklist; they were merged', card.name);
    task.checklist = checklists.flatMap((c) =>
      [...c.checkItems]
        .sort((a, b) => a.pos - b.pos)
        .filter((item) => item.name.trim())
        .map((item) => ({
          text: item.name.trim().slice(0, 500),
          done: item.state === 'complete',
          assignee: null,
          dueAt: instant(item.due),
        })),
    );
    task.comments = board.actions
      .filter((a) => a.type === 'commentCard' && a.data.card?.id === card.id && a.data.text?.trim())
      .sort((a, b) => (a.date ?? '').localeCompare(b.date ?? ''))
      .map((a) => {
        report.unknownPerson(who(a.memberCreator));
        // The author is no member here; their name stays with what they wrote.
        return {
          author: null,
          body: `${a.data.text!.trim()}\n\n— ${who(a.memberCreator)} on Trello`.slice(0, 100_000),
          createdAt: instant(a.date),
        };
      });
    return task;
  });
  const numbers = new Set<number>();
  for (const t of tasks) {
    if (numbers.has(t.number)) t.number = Math.max(...numbers) + 1;
    numbers.add(t.number);
  }
  document.projects.push({
    name: board.name.trim().slice(0, 200) || 'Trello board',
    description: board.desc.slice(0, 10_000),
    archived: false,
    tasks,
  });
  return { document, openFile: noFiles, close: () => {} };
}
