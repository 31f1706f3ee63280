import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { ApiError } from '../services/errors.js';
import type { Activity, Member, Recovery, Task } from '../services/types.js';
import { useRecurrenceStore } from '../stores/recurrences.js';
import { useTaskStore } from '../stores/task.js';
import { UNDO_MS, useToastStore } from '../stores/toasts.js';
import { useWorkspaceStore } from '../stores/workspaces.js';
import FormError from './FormError.vue';
import MarkdownView from './MarkdownView.vue';
import QuickAdd from './QuickAdd.vue';
import RepeatIcon from './RepeatIcon.vue';
import TaskRepeat from './TaskRepeat.vue';
import RecoveryPanel from './RecoveryPanel.vue';
import { SHORTCUTS } from './shortcuts.js';
import ShortcutsDialog from './ShortcutsDialog.vue';
import TableSection from './TableSection.vue';
import TaskActivity from './TaskActivity.vue';
import TaskCard from './TaskCard.vue';
import ToastHost from './ToastHost.vue';

const task: Task = {
  id: 't1',
  projectId: 'p1',
  number: 12,
  title: 'Fix the login page',
  description: '',
  status: 'todo',
  position: 'a0',
  priority: 'urgent',
  dueAt: null,
  assigneeId: 'u1',
  labelIds: ['l1'],
  parentId: null,
  checklist: { done: 0, total: 0 },
  subtasks: { done: 0, total: 0 },
  createdBy: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

beforeEach(() => setActivePinia(createPinia()));

describe('TaskCard', () => {
  it('shows number, title, labels and priority, and names them all for screen readers', () => {
    const wrapper = mount(TaskCard, {
      props: {
        task,
        assignee: {
          userId: 'u1',
          name: 'Ada Lovelace',
          email: 'ada@example.com',
          role: 'member',
          joinedAt: '2026-01-01T00:00:00.000Z',
        },
        labelMap: new Map([['l1', { id: 'l1', workspaceId: 'w1', name: 'bug', color: '#dc2626' }]]),
      },
    });
    expect(wrapper.text()).toContain('#12');
    expect(wrapper.text()).toContain('Fix the login page');
    expect(wrapper.text()).toContain('bug');
    expect(wrapper.text()).toContain('Urgent');
    const card = wrapper.get('[data-task-id="t1"]');
    expect(card.attributes('tabindex')).toBe('0');
    // Named by its visible text (no aria-label that could drift from it), which also says who it is assigned to.
    expect(card.attributes('aria-label')).toBeUndefined();
    expect(card.get('.sr-only').text()).toBe('assigned to Ada Lovelace');
  });

  it('shows checklist and subtask progress, read out as such', () => {
    const wrapper = mount(TaskCard, {
      props: {
        task: { ...task, checklist: { done: 2, total: 5 }, subtasks: { done: 0, total: 0 } },
        labelMap: new Map(),
      },
    });
    expect(wrapper.get('[data-testid="card-checklist"]').text()).toBe('☑ 2/5 checklist items done');
    expect(wrapper.find('[data-testid="card-subtasks"]').exists()).toBe(false);
    const both = mount(TaskCard, {
      props: { task: { ...task, subtasks: { done: 1, total: 3 } }, labelMap: new Map() },
    });
    expect(both.find('[data-testid="card-checklist"]').exists()).toBe(false);
    expect(both.get('[data-testid="card-subtasks"]').text()).toBe('⑂ 1/3 subtasks done');
  });

  it('marks a card picked up with the keyboard as pressed', () => {
    const wrapper = mount(TaskCard, { props: { task, labelMap: new Map(), grabbed: true } });
    expect(wrapper.get('article').attributes('aria-pressed')).toBe('true');
    expect(wrapper.get('article').classes()).toContain('grabbed');
  });
});

describe('RepeatIcon', () => {
  it('shows ↻ to the eye and its rule to screen readers, on cards as in list rows', () => {
    const icon = mount(RepeatIcon, { props: { summary: 'Every week on Mon, Wed at 09:00' } });
    expect(icon.get('[aria-hidden="true"]').text()).toBe('↻');
    expect(icon.get('.sr-only').text()).toBe('repeats: Every week on Mon, Wed at 09:00');
    expect(icon.attributes('title')).toBe('Every week on Mon, Wed at 09:00');
    const card = mount(TaskCard, { props: { task, labelMap: new Map(), repeats: 'Every day at 08:00' } });
    expect(card.get('[data-testid="card-repeats"]').text()).toContain('repeats: Every day at 08:00');
    const plain = mount(TaskCard, { props: { task, labelMap: new Map() } });
    expect(plain.find('[data-testid="card-repeats"]').exists()).toBe(false);
  });
});

describe('TaskRepeat', () => {
  it('starts a new rule on the weekday and day of the month the task is due on in the workspace time zone', async () => {
    const workspaces = useWorkspaceStore();
    workspaces.workspaces = [
      { id: 'w1', name: 'Team', role: 'member' } as (typeof workspaces.workspaces)[number],
    ];
    workspaces.currentId = 'w1';
    // Monday 7 December 00:30 at UTC+14, still Sunday 6 December from UTC−10 to UTC+13 (wherever the test runs).
    workspaces.timeZone = 'Pacific/Kiritimati';
    useTaskStore().task = { ...task, dueAt: '2026-12-06T10:30:00.000Z' };
    // The rule itself comes from the API; here the task has none yet.
    vi.spyOn(useRecurrenceStore(), 'open').mockResolvedValue(undefined);
    const wrapper = mount(TaskRepeat);
    await wrapper.get('button').trigger('click');
    const pressed = wrapper.findAll('button[aria-pressed="true"]').map((b) => b.text());
    expect(pressed).toEqual(['Mon']);
    await wrapper.get('#repeat-frequency').setValue('monthly');
    expect((wrapper.get('#repeat-month-day').element as HTMLSelectElement).value).toBe('7');
  });
});

describe('QuickAdd', () => {
  it('adds a task with Enter and stays open for the next one', async () => {
    const added: string[] = [];
    const wrapper = mount(QuickAdd, {
      props: { columnLabel: 'To do', add: async (title: string) => void added.push(title) },
      attachTo: document.body,
    });
    await wrapper.get('button').trigger('click');
    const input = wrapper.get('input');
    expect(wrapper.get('label').text()).toBe('New task title in To do');
    await input.setValue('  Write release notes ');
    await wrapper.get('form').trigger('submit');
    await nextTick();
    await nextTick();
    expect(added).toEqual(['Write release notes']);
    expect((wrapper.get('input').element as HTMLInputElement).value).toBe('');
    await wrapper.get('input').trigger('keydown', { key: 'Escape' });
    expect(wrapper.find('input').exists()).toBe(false);
    wrapper.unmount();
  });

  it('keeps the typed title when adding fails', async () => {
    const wrapper = mount(QuickAdd, {
      props: { columnLabel: 'Done', add: () => Promise.reject(new Error('nope')) },
    });
    await wrapper.get('button').trigger('click');
    await wrapper.get('input').setValue('Keep me');
    await wrapper.get('form').trigger('submit');
    await new Promise((r) => setTimeout(r, 0));
    expect((wrapper.get('input').element as HTMLInputElement).value).toBe('Keep me');
  });
});

describe('MarkdownView', () => {
  // What sanitising keeps is checked in markdown.test.ts (jsdom) and in Chromium (e2e/); here, the rendering.
  it('renders markdown with line breaks and lists', () => {
    const wrapper = mount(MarkdownView, { props: { source: '**bold**\nnext line\n\n- item' } });
    expect(wrapper.find('strong').text()).toBe('bold');
    expect(wrapper.find('br').exists()).toBe(true);
    expect(wrapper.find('li').text()).toBe('item');
  });

  it('says so when there is nothing to show', () => {
    expect(mount(MarkdownView, { props: { source: '  ', empty: 'No description.' } }).text()).toBe(
      'No description.',
    );
  });
});

describe('ToastHost', () => {
  it("shows the API's problem title and detail as an alert, and can be dismissed", async () => {
    const wrapper = mount(ToastHost);
    const toasts = useToastStore();
    toasts.error(new ApiError(409, 'Conflict', 'The last owner cannot be removed.'));
    await nextTick();
    const alert = wrapper.get('[role="alert"]');
    expect(alert.text()).toContain('Conflict');
    expect(alert.text()).toContain('The last owner cannot be removed.');
    await wrapper.get('button[aria-label="Dismiss"]').trigger('click');
    expect(wrapper.find('[role="alert"]').exists()).toBe(false);
  });

  it('offers Undo for a few seconds, running it once when clicked', async () => {
    vi.useFakeTimers();
    try {
      const wrapper = mount(ToastHost);
      const toasts = useToastStore();
      const undo = vi.fn();
      toasts.undoable('Task deleted', '#3 Ship it', undo);
      toasts.undoable('Comment deleted', 'Never mind', () => undefined);
      await nextTick();
      const buttons = wrapper.findAll('[data-testid="toast-undo"]');
      expect(buttons).toHaveLength(2);
      await buttons[0]!.trigger('click');
      await buttons[0]!.trigger('click');
      expect(undo).toHaveBeenCalledTimes(1);
      expect(wrapper.text()).not.toContain('Task deleted');
      vi.advanceTimersByTime(UNDO_MS);
      await nextTick();
      expect(wrapper.find('[data-testid="toast-undo"]').exists()).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('FormError', () => {
  it('shows the problem detail and each rejected field', () => {
    const error = new ApiError(400, 'Bad Request', 'Invalid body.', [
      { path: 'email', message: 'Invalid email address' },
    ]);
    const wrapper = mount(FormError, { props: { error } });
    expect(wrapper.get('[role="alert"]').text()).toContain('Invalid body.');
    expect(wrapper.get('li').text()).toBe('email: Invalid email address');
  });

  it('renders nothing without an error', () => {
    expect(
      mount(FormError, { props: { error: null } })
        .find('[role="alert"]')
        .exists(),
    ).toBe(false);
  });
});

describe('ShortcutsDialog', () => {
  it('opens on ? with every shortcut listed, but not while someone types a question mark', async () => {
    const field = document.body.appendChild(document.createElement('input'));
    const wrapper = mount(ShortcutsDialog, { attachTo: document.body });
    const dialog = wrapper.get('dialog').element as HTMLDialogElement;
    field.dispatchEvent(new KeyboardEvent('keydown', { key: '?', bubbles: true }));
    await nextTick();
    await nextTick();
    expect(dialog.open).toBe(false);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: '?' }));
    await nextTick();
    await nextTick();
    expect(dialog.open).toBe(true);
    const rows = wrapper.findAll('.row').map((row) => row.text().replace(/\s+/g, ' '));
    expect(rows).toContain('Enter Open the task');
    expect(rows).toContain('Ctrl Enter Save the description, or post the comment (⌘ Enter on a Mac)');
    expect(rows).toHaveLength(SHORTCUTS.flatMap((group) => group.shortcuts).length);
    wrapper.unmount();
    field.remove();
  });
});

describe('RecoveryPanel', () => {
  const now = new Date('2026-03-10T12:00:00Z').getTime();
  const recovery: Recovery = {
    archiving: true,
    recoveryPoint: '2026-03-10T11:59:18.000Z',
    recoveryPointAgeSeconds: 42,
    archiveFailing: false,
    window: { from: '2026-02-24T03:01:05.000Z', to: '2026-03-10T11:59:18.000Z' },
    lastDrill: {
      id: '6f1c1c57-35a4-4c0e-9f55-5c7f0c3c1b1e',
      status: 'passed',
      targetTime: '2026-03-09T17:25:00.123Z',
      problems: [],
      startedAt: '2026-03-10T05:30:00.000Z',
      finishedAt: '2026-03-10T05:34:00.000Z',
    },
  };
  const text = (wrapper: ReturnType<typeof mount>, id: string) =>
    wrapper.get(`[data-testid="${id}"]`).text().replace(/\s+/g, ' ');

  it('shows the age of the recovery point, the restorable window and the last drill with its target', () => {
    const wrapper = mount(RecoveryPanel, { props: { recovery, now } });
    const badge = wrapper.get('[data-testid="recovery-point"] .badge');
    expect(badge.text()).toBe('42 s old');
    expect(badge.classes()).toContain('badge-success');
    expect(wrapper.get('[data-testid="recovery-point"] .muted').text()).toBe(
      'newest archived WAL, 2026-03-10 11:59 UTC',
    );
    expect(text(wrapper, 'recovery-window')).toBe('2026-02-24 03:01 UTC → 2026-03-10 11:59 UTC');
    expect(text(wrapper, 'recovery-drill')).toMatch(
      /^passed ?6 hours ago, restored to 2026-03-09 17:25 UTC$/,
    );
  });

  it('flags a stale recovery point and lists what a failed drill found', () => {
    const wrapper = mount(RecoveryPanel, {
      props: {
        now,
        recovery: {
          ...recovery,
          recoveryPointAgeSeconds: 900,
          lastDrill: {
            ...recovery.lastDrill!,
            status: 'failed',
            problems: ["pgbackrest verify: invalid checksum '20260309-030000F/pg_data/base/16384/16442.gz'"],
          },
        },
      },
    });
    expect(text(wrapper, 'recovery-point')).toMatch(/^15 min old/);
    expect(wrapper.get('[data-testid="recovery-point"] .badge').classes()).toContain('badge-danger');
    expect(wrapper.get('[data-testid="recovery-drill"] .badge').text()).toBe('failed');
    expect(wrapper.findAll('[data-testid="recovery-drill"] li').map((li) => li.text())).toEqual([
      "pgbackrest verify: invalid checksum '20260309-030000F/pg_data/base/16384/16442.gz'",
    ]);
  });

  it('offers a drill now only when the server archives WAL, and asks for it once clicked', async () => {
    const wrapper = mount(RecoveryPanel, { props: { recovery, now } });
    await wrapper.get('[data-testid="drill-now"]').trigger('click');
    expect(wrapper.emitted('drill')).toHaveLength(1);
    const off = mount(RecoveryPanel, { props: { recovery: { ...recovery, archiving: false }, now } });
    expect(off.find('[data-testid="drill-now"]').exists()).toBe(false);
  });

  it('says when the server does not archive WAL, and when nothing is restorable yet', () => {
    expect(
      mount(RecoveryPanel, { props: { recovery: { ...recovery, archiving: false }, now } }).text(),
    ).toContain('Off: the database server does not archive WAL');
    const fresh = mount(RecoveryPanel, {
      props: {
        now,
        recovery: {
          ...recovery,
          recoveryPoint: null,
          recoveryPointAgeSeconds: null,
          window: null,
          lastDrill: null,
        },
      },
    });
    expect(text(fresh, 'recovery-point')).toBe('no WAL archived yet');
    expect(text(fresh, 'recovery-window')).toBe('none until the first pgBackRest backup');
    expect(text(fresh, 'recovery-drill')).toBe('none yet (nightly at 05:30 UTC)');
  });
});

describe('TaskActivity', () => {
  const ADA = '6f1c2b9e-1d2a-4c3b-9e8f-0a1b2c3d4e5f';
  const BOB = '7a2d3c0f-2e3b-4d4c-8f9a-1b2c3d4e5f60';
  const comment = (id: string, excerpt: string): Activity => ({
    id,
    verb: 'comment.created',
    actorId: BOB,
    subject: { type: 'task', id: 't1' },
    data: { taskId: 't1', taskNumber: 12, excerpt },
    createdAt: new Date().toISOString(),
  });

  it('quotes comment excerpts with their mentions as @Name chips, not their markup', () => {
    useWorkspaceStore().members = [
      { userId: BOB, name: 'Bob Hopper', email: 'bob@example.com', role: 'member' } as Member,
    ];
    useTaskStore().activity = [
      comment('a1', `Ask @[Ada Lovelace](user:${ADA}) and @[Bob Hopper](user:${BOB}) <b>now</b>`),
      // Cut at 140 characters by the API, inside the mention's markup.
      comment('a2', `${'x'.repeat(100)} cc @[Ada Lovelace](user:6f1c2b9e…`),
    ];
    const wrapper = mount(TaskActivity);
    const [first, cut] = wrapper.findAll('li .what');
    expect(first!.text()).toBe('Bob Hopper commented: “Ask @Ada Lovelace and @Bob Hopper <b>now</b>”');
    expect(first!.findAll('.mention').map((chip) => chip.text())).toEqual(['@Ada Lovelace', '@Bob Hopper']);
    // Text stays text: markup in a comment is never turned into elements here.
    expect(first!.find('b').exists()).toBe(false);
    expect(cut!.text()).toBe(`Bob Hopper commented: “${'x'.repeat(100)} cc @Ada Lovelace…”`);
    expect(wrapper.text()).not.toContain('](user:');
  });
});

describe('TableSection', () => {
  const empty = { icon: '↗', title: 'No webhooks', text: 'Add one.' };

  it('is a region named by its heading, with the count beside it, over what it lists', () => {
    const wrapper = mount(TableSection, {
      props: { title: 'Members', count: 3 },
      slots: { default: '<table data-testid="rows"><tbody><tr><td>Ada</td></tr></tbody></table>' },
    });
    const section = wrapper.get('section');
    const heading = wrapper.get('h2');
    expect(section.attributes('aria-labelledby')).toBe(heading.attributes('id'));
    expect(heading.text()).toBe('Members 3');
    expect(heading.get('.muted').text()).toBe('3');
    expect(wrapper.find('[data-testid="rows"]').exists()).toBe(true);
    // Two sections on one screen never share a heading id.
    const screen = mount({
      components: { TableSection },
      template: '<TableSection title="Members" /><TableSection title="Webhooks" />',
    });
    const ids = screen.findAll('h2').map((h) => h.attributes('id'));
    expect(new Set(ids).size).toBe(2);
    expect(screen.findAll('h2').map((h) => h.text())).toEqual(['Members', 'Webhooks']);
  });

  it('shows its empty state instead of the content when there is nothing to list', () => {
    const wrapper = mount(TableSection, {
      props: { title: 'Webhooks', count: 0, empty },
      slots: { default: '<ul data-testid="rows"></ul>' },
    });
    expect(wrapper.find('[data-testid="rows"]').exists()).toBe(false);
    expect(wrapper.get('.empty h2').text()).toBe('No webhooks');
    expect(wrapper.get('.empty').text()).toContain('Add one.');
    expect(wrapper.get('h2').text()).toBe('Webhooks 0');
  });
});
