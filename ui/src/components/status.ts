import { dayIn, daysBetween, todayIn } from './calendar-dates.js';
import { TASK_PRIORITIES, TASK_STATUSES, type TaskPriority, type TaskStatus } from '../services/types.js';

/** How statuses and priorities read on screen. */
export const STATUS_LABELS: Record<TaskStatus, string> = {
  backlog: 'Backlog',
  todo: 'To do',
  in_progress: 'In progress',
  done: 'Done',
};
export const PRIORITY_LABELS: Record<TaskPriority, string> = {
  none: 'No priority',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  urgent: 'Urgent',
};

/** A select's choices: its value and what it reads. */
export type Option = { value: string; text: string };
/** A table column: its heading, and a class for its cells (`hide-sm` where a narrow screen leaves it out). */
export type Column = readonly [label: string, className?: string];
export const STATUS_OPTIONS: Option[] = TASK_STATUSES.map((s) => ({ value: s, text: STATUS_LABELS[s] }));
export const PRIORITY_OPTIONS: Option[] = TASK_PRIORITIES.map((p) => ({
  value: p,
  text: PRIORITY_LABELS[p],
}));

/**
 * "Due in 3 days", "Overdue by 2 days", "Due today": what a glance at a card needs. Days are counted in `zone`, the
 * workspace's, as the calendar lays them out, so a task due on the 3rd reads the 3rd wherever the browser is.
 */
export function dueLabel(
  dueAt: string | null,
  zone: string,
  now = new Date(),
): { text: string; tone: 'late' | 'soon' | 'later' } | null {
  if (!dueAt) return null;
  const days = daysBetween(todayIn(zone, now), dayIn(dueAt, zone));
  const date = new Date(dueAt).toLocaleDateString(undefined, {
    month: 'short',
    day: 'numeric',
    timeZone: zone,
  });
  if (days < 0) return { text: `${date} · overdue`, tone: 'late' };
  if (days === 0) return { text: 'Today', tone: 'soon' };
  if (days === 1) return { text: 'Tomorrow', tone: 'soon' };
  return { text: date, tone: days <= 3 ? 'soon' : 'later' };
}
