import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Task } from '../services/types.js';
import TaskCalendar from './TaskCalendar.vue';

const task = (id: string, title: string, dueAt: string | null, patch: Partial<Task> = {}): Task => ({
  id,
  projectId: 'p1',
  number: 1,
  title,
  description: '',
  status: 'todo',
  position: 'a0',
  priority: 'none',
  dueAt,
  assigneeId: null,
  labelIds: [],
  parentId: null,
  checklist: { done: 0, total: 0 },
  subtasks: { done: 0, total: 0 },
  createdBy: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...patch,
});

const tasks = [
  // 09:30 in Berlin on Thursday 3 December.
  task('call', 'Call the printer', '2026-12-03T08:30:00.000Z'),
  // 23:59 in Berlin: a date without a time.
  task('ship', 'Ship the flyers', '2026-12-04T22:59:00.000Z', { status: 'done' }),
  // 00:30 on the 5th in Berlin, still the 4th in UTC: the workspace's zone decides the day.
  task('late', 'Night shift', '2026-12-04T23:30:00.000Z'),
  task('someday', 'Someday', null),
];

function mountCalendar(props: Partial<InstanceType<typeof TaskCalendar>['$props']> = {}) {
  return mount(TaskCalendar, {
    props: { tasks, timeZone: 'Europe/Berlin', mode: 'month', day: '2026-12-10', canEdit: true, ...props },
    attachTo: document.body,
  });
}

const chipsOn = (wrapper: ReturnType<typeof mountCalendar>, day: string) =>
  wrapper.findAll(`[data-day="${day}"] [data-task-id]`).map((c) => c.attributes('data-task-id'));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-12-03T12:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
});

describe('TaskCalendar', () => {
  it('puts tasks on their due day in the zone, marks today and names each day', () => {
    const wrapper = mountCalendar();
    expect(chipsOn(wrapper, '2026-12-03')).toEqual(['call']);
    expect(chipsOn(wrapper, '2026-12-04')).toEqual(['ship']);
    expect(chipsOn(wrapper, '2026-12-05')).toEqual(['late']);
    expect(wrapper.findAll('[data-task-id]')).toHaveLength(3);
    const today = wrapper.get('[aria-current="date"]');
    expect(today.attributes('data-day')).toBe('2026-12-03');
    expect(today.attributes('aria-label')).toMatch(/December 3, 2026, today, 1 task$/);
    // The time shows only where there is one; a done task says so in words, not only by its strike-through.
    expect(wrapper.get('[data-task-id="call"]').text()).toMatch(/9:30|09:30/);
    expect(wrapper.get('[data-task-id="ship"]').text()).toBe('Ship the flyers, done');
    expect(wrapper.get('h2').text()).toBe('December 2026');
  });

  it('shows one week in week mode and asks for the next period, the other mode or today', async () => {
    const wrapper = mountCalendar({ mode: 'week', day: '2026-12-03' });
    expect(wrapper.findAll('[data-day]')).toHaveLength(7);
    const buttons = (name: string) => wrapper.findAll('button').find((b) => b.text().includes(name))!;
    await buttons('Next').trigger('click');
    await buttons('Previous').trigger('click');
    await buttons('Month').trigger('click');
    await buttons('Today').trigger('click');
    expect(wrapper.emitted('navigate')).toEqual([
      ['week', '2026-12-10'],
      ['week', '2026-11-26'],
      ['month', '2026-12-03'],
      ['week', '2026-12-03'],
    ]);
    expect(buttons('Week').attributes('aria-pressed')).toBe('true');
  });

  it('moves a task with the keyboard, keeping its time of day, and announces each step', async () => {
    const wrapper = mountCalendar();
    const key = async (key: string) => {
      await wrapper.get('[data-task-id="call"]').trigger('keydown', { key });
    };
    const said = () => wrapper.get('[data-testid="calendar-announcement"]').text();
    await key(' ');
    expect(said()).toMatch(/^Picked up Call the printer, due Thursday, December 3, 2026/);
    expect(wrapper.get('[data-task-id="call"]').attributes('aria-pressed')).toBe('true');
    await key('ArrowRight');
    await key('ArrowDown');
    expect(chipsOn(wrapper, '2026-12-11')).toEqual(['call']);
    expect(said()).toBe('Friday, December 11, 2026');
    expect(wrapper.emitted('move')).toBeUndefined();
    await key('Enter');
    expect(wrapper.emitted('move')).toEqual([['call', '2026-12-11T08:30:00.000Z']]);
    expect(said()).toBe('Moved Call the printer to Friday, December 11, 2026.');
  });

  it('puts the task back on Escape, and neither picks up nor moves for someone who cannot edit', async () => {
    const wrapper = mountCalendar();
    const chip = () => wrapper.get('[data-task-id="call"]');
    await chip().trigger('keydown', { key: ' ' });
    await chip().trigger('keydown', { key: 'ArrowLeft' });
    expect(chipsOn(wrapper, '2026-12-02')).toEqual(['call']);
    await chip().trigger('keydown', { key: 'Escape' });
    expect(chipsOn(wrapper, '2026-12-03')).toEqual(['call']);
    expect(wrapper.emitted('move')).toBeUndefined();

    const viewer = mountCalendar({ canEdit: false });
    await viewer.get('[data-task-id="call"]').trigger('keydown', { key: ' ' });
    expect(viewer.get('[data-task-id="call"]').attributes('aria-pressed')).toBeUndefined();
    await viewer.get('[data-task-id="call"]').trigger('keydown', { key: 'Enter' });
    expect(viewer.emitted('open')).toEqual([['call']]);
  });

  it('carries a task past the edge into the next period, which need not hold it, and keeps the keyboard on it', async () => {
    const wrapper = mountCalendar({ mode: 'week', day: '2026-12-03' });
    const chip = () => wrapper.get('[data-task-id="call"]');
    await chip().trigger('keydown', { key: ' ' });
    await chip().trigger('keydown', { key: 'ArrowDown' });
    expect(wrapper.emitted('navigate')).toEqual([['week', '2026-12-10']]);
    // The parent turns to that week, whose tasks (loaded for it) do not include the carried one.
    await wrapper.setProps({ day: '2026-12-10', tasks: [] });
    await new Promise((r) => setTimeout(r, 0));
    expect(chipsOn(wrapper, '2026-12-10')).toEqual(['call']);
    expect(document.activeElement?.getAttribute('data-task-id')).toBe('call');
    expect(wrapper.get('[data-testid="calendar-announcement"]').text()).toBe('Thursday, December 10, 2026');
    await chip().trigger('keydown', { key: ' ' });
    expect(wrapper.emitted('move')).toEqual([['call', '2026-12-10T08:30:00.000Z']]);
  });

  it('turns back to where the task came from when the move is cancelled in another period', async () => {
    const wrapper = mountCalendar({ mode: 'week', day: '2026-12-03' });
    const chip = () => wrapper.get('[data-task-id="call"]');
    await chip().trigger('keydown', { key: ' ' });
    await chip().trigger('keydown', { key: 'ArrowUp' });
    await wrapper.setProps({ day: '2026-11-26' });
    await chip().trigger('keydown', { key: 'Escape' });
    expect(wrapper.emitted('navigate')).toEqual([
      ['week', '2026-11-26'],
      ['week', '2026-12-03'],
    ]);
    expect(wrapper.emitted('move')).toBeUndefined();
  });
});
