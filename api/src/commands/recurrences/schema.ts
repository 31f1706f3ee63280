/** The inputs of the recurrence routes: a task's repeat rule, checked field by field into a 400 listing each. */
import { FREQUENCIES, isTimeZone, WEEKDAYS } from '@taskstack/db';
import { z } from 'zod';
import '../../openapi/registry.js';

export const taskParams = z.object({ id: z.uuid() }).strict();
export const projectParams = z.object({ id: z.uuid() }).strict();
export const workspaceParams = z.object({ id: z.uuid() }).strict();

const weekday = z.enum(WEEKDAYS).openapi('Weekday');
const localDate = z.iso.date().openapi({ description: 'A local date in the workspace time zone' });

export const recurrenceRule = z
  .object({
    frequency: z.enum(FREQUENCIES),
    interval: z.number().int().min(1).max(366).default(1).openapi({ description: 'Every n days/weeks/…' }),
    weekdays: z
      .array(weekday)
      .min(1)
      .max(7)
      .refine((days) => new Set(days).size === days.length, 'lists a day twice')
      .optional()
      .openapi({ description: 'weekly: the days it falls on (default: the weekday of the first one)' }),
    monthDay: z
      .number()
      .int()
      .min(-1)
      .max(31)
      .refine((day) => day !== 0, 'is 1–31, or -1 for the last day')
      .optional()
      .openapi({ description: 'monthly: day of the month, -1 the last; months without it are skipped' }),
    nthWeekday: z
      .object({
        nth: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(-1)]),
        weekday,
      })
      .strict()
      .optional()
      .openapi({ description: 'monthly: the n-th (1–4, -1 the last) weekday of the month' }),
    time: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'is a time HH:MM')
      .optional()
      .openapi({ description: 'Local time each occurrence is due (default: the task’s, else 09:00)' }),
    until: localDate.optional().openapi({ description: 'No occurrence after this local date' }),
    count: z.number().int().min(2).max(1000).optional().openapi({ description: 'Occurrences in all' }),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const problem = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    if (rule.weekdays && rule.frequency !== 'weekly') problem('weekdays', 'is for weekly rules only');
    if (rule.frequency !== 'monthly') {
      if (rule.monthDay !== undefined) problem('monthDay', 'is for monthly rules only');
      if (rule.nthWeekday) problem('nthWeekday', 'is for monthly rules only');
    } else if (rule.monthDay !== undefined && rule.nthWeekday) {
      problem('nthWeekday', 'cannot be combined with monthDay');
    }
    if (rule.until && rule.count) problem('count', 'cannot be combined with until');
  })
  .openapi('RecurrenceRule');
export type RecurrenceRuleInput = z.infer<typeof recurrenceRule>;

export const timeZoneBody = z
  .object({
    timeZone: z.string().max(64).refine(isTimeZone, 'is not an IANA time zone name (e.g. Europe/Berlin)'),
  })
  .strict()
  .openapi('WorkspaceTimeZone');
