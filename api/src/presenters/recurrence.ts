import { WEEKDAYS, type RecurrenceRule } from '@taskstack/db';
import type { SeriesRecord } from '@taskstack/db/repositories';
import { z } from 'zod';
import { recurrenceRule } from '../commands/recurrences/schema.js';

const DAY_NAMES = { mo: 'Mon', tu: 'Tue', we: 'Wed', th: 'Thu', fr: 'Fri', sa: 'Sat', su: 'Sun' } as const;
const UNITS = { daily: 'day', weekly: 'week', monthly: 'month', yearly: 'year' } as const;
const ORDINALS: Record<number, string> = { 1: '1st', 2: '2nd', 3: '3rd', 4: '4th', [-1]: 'last' };

/** "Every week on Mon, Wed", "Every 2 months on the last Fri, 10 times": how the web app names a rule. */
export function describeRule(rule: RecurrenceRule): string {
  const unit = UNITS[rule.frequency];
  let text = rule.interval === 1 ? `Every ${unit}` : `Every ${rule.interval} ${unit}s`;
  if (rule.frequency === 'weekly' && rule.weekdays?.length) {
    const days = WEEKDAYS.filter((day) => rule.weekdays!.includes(day));
    text += ` on ${days.map((day) => DAY_NAMES[day]).join(', ')}`;
  }
  if (rule.monthDay !== undefined)
    text += rule.monthDay === -1 ? ' on the last day' : ` on day ${rule.monthDay}`;
  if (rule.nthWeekday)
    text += ` on the ${ORDINALS[rule.nthWeekday.nth]} ${DAY_NAMES[rule.nthWeekday.weekday]}`;
  text += ` at ${rule.time}`;
  if (rule.until) text += `, until ${rule.until}`;
  if (rule.count) text += `, ${rule.count} times`;
  return text;
}

export const recurrenceOutput = z
  .object({
    rule: recurrenceRule,
    summary: z.string().openapi({ example: 'Every week on Mon, Wed at 09:00' }),
    timeZone: z.string().openapi({ description: "The workspace's time zone the rule is read in" }),
    made: z.number().int().openapi({ description: 'Occurrences created so far, the first task included' }),
    finished: z.boolean().openapi({ description: 'The rule ran out (until / count): no next occurrence' }),
  })
  .openapi('TaskRecurrence');
export type RecurrenceOutput = z.infer<typeof recurrenceOutput>;

export function presentRecurrence(series: SeriesRecord): RecurrenceOutput {
  return {
    rule: series.rule as RecurrenceOutput['rule'],
    summary: describeRule(series.rule),
    timeZone: series.timeZone,
    made: series.made,
    finished: series.finishedAt !== null,
  };
}

export const recurringTaskOutput = z
  .object({ taskId: z.uuid(), summary: z.string() })
  .openapi('RecurringTask');
