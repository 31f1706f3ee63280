import { DateTime, Info } from 'luxon';

/**
 * The calendar's date math. A calendar day is a plain ISO date ('2026-12-03'), the same whatever the zone; an
 * instant (a task's `dueAt`) falls on a day in a time zone — the workspace's, so a team sees a task on the same day.
 * Luxon does the zone arithmetic (offsets, DST gaps), so nothing here adds 24 hours to an instant.
 */
export type Day = string;
export type CalendarMode = 'month' | 'week';
/** 1 = Monday … 7 = Sunday (ISO weekdays, as luxon and Intl's week info number them). */
export type WeekStart = 1 | 2 | 3 | 4 | 5 | 6 | 7;

const asDate = (day: Day, locale?: string) => DateTime.fromISO(day, { zone: 'utc', locale });
const toDay = (date: DateTime): Day => date.toISODate()!;

/** Whether a URL's `date` is a real calendar day. */
export function isDay(value: unknown): value is Day {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && asDate(value).isValid;
}

/** The first day of the week where the person is (Sunday in the US, Monday in most of Europe). */
export function weekStartFor(locale?: string): WeekStart {
  return Info.getStartOfWeek(locale ? { locale } : {}) as WeekStart;
}

export function addDays(day: Day, days: number): Day {
  return toDay(asDate(day).plus({ days }));
}

/** The day a month or week away; 31 January plus a month is the last day of February. */
export function shiftPeriod(mode: CalendarMode, day: Day, steps: number): Day {
  return toDay(asDate(day).plus(mode === 'month' ? { months: steps } : { weeks: steps }));
}

export function startOfWeek(day: Day, weekStart: WeekStart): Day {
  const date = asDate(day);
  return toDay(date.minus({ days: (date.weekday - weekStart + 7) % 7 }));
}

export function weekOf(day: Day, weekStart: WeekStart): Day[] {
  const first = startOfWeek(day, weekStart);
  return Array.from({ length: 7 }, (_, i) => addDays(first, i));
}

/** The weeks a month view shows: from the week of the 1st to the week of the last day (4 to 6 rows). */
export function monthGrid(day: Day, weekStart: WeekStart): Day[][] {
  const month = asDate(day);
  const last = toDay(month.endOf('month'));
  const weeks: Day[][] = [];
  let start = startOfWeek(toDay(month.startOf('month')), weekStart);
  while (start <= last) {
    weeks.push(weekOf(start, weekStart));
    start = addDays(start, 7);
  }
  return weeks;
}

export function periodOf(mode: CalendarMode, day: Day, weekStart: WeekStart): Day[][] {
  return mode === 'month' ? monthGrid(day, weekStart) : [weekOf(day, weekStart)];
}

/** The day an instant falls on in `zone`. */
export function dayIn(instant: string, zone: string): Day {
  return toDay(DateTime.fromISO(instant, { zone }));
}

export function todayIn(zone: string, now: Date = new Date()): Day {
  return toDay(DateTime.fromJSDate(now, { zone }));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: Day, to: Day): number {
  return Math.round(asDate(to).diff(asDate(from), 'days').days);
}

/**
 * The due date a date picker saves for a day: the end of that day (23:59) in `zone`, the workspace's, so everyone
 * and the calendar see it on that day (and `timeOfDay` shows no time for it).
 */
export function endOfDayIn(day: Day, zone: string): string {
  return DateTime.fromISO(day, { zone }).set({ hour: 23, minute: 59 }).toUTC().toISO()!;
}

/**
 * The due-date window of some days: from the first day's midnight to the midnight after the last, in `zone`, as
 * the API's `dueFrom` / `dueBefore` (a DST day is 23 or 25 hours long, so the ends are midnights, not sums).
 */
export function windowOf(days: Day[], zone: string): { dueFrom: string; dueBefore: string } {
  const midnight = (day: Day) => DateTime.fromISO(day, { zone }).toUTC().toISO()!;
  return { dueFrom: midnight(days[0]!), dueBefore: midnight(addDays(days[days.length - 1]!, 1)) };
}

/**
 * A due date moved to another day, at the same time of day on the wall clock of `zone` (09:00 stays 09:00 across a
 * DST change; a time that does not exist that day, inside a spring-forward gap, moves forward past the gap).
 */
export function moveToDay(dueAt: string, day: Day, zone: string): string {
  const target = asDate(day);
  return DateTime.fromISO(dueAt, { zone })
    .set({ year: target.year, month: target.month, day: target.day })
    .toUTC()
    .toISO()!;
}

/**
 * The time a chip shows, or null for a date without a time: the date pickers save "the end of that day" as 23:59
 * (TaskPanel, BulkBar), which is no time anyone picked.
 */
export function timeOfDay(dueAt: string, zone: string, locale?: string): string | null {
  const at = DateTime.fromISO(dueAt, { zone, locale });
  if (at.hour === 23 && at.minute === 59) return null;
  return at.toLocaleString(DateTime.TIME_SIMPLE);
}

/** Items grouped by the day their due date falls on in `zone`, each day's soonest first. */
export function byDay<T extends { dueAt: string | null }>(items: T[], zone: string): Map<Day, T[]> {
  const days = new Map<Day, T[]>();
  const dated = items
    .filter((item) => item.dueAt)
    .sort((a, b) => Date.parse(a.dueAt!) - Date.parse(b.dueAt!));
  for (const item of dated) {
    const day = dayIn(item.dueAt!, zone);
    days.set(day, [...(days.get(day) ?? []), item]);
  }
  return days;
}

/** "December 2026", or a week's range such as "Nov 30 – Dec 6, 2026". */
export function periodTitle(mode: CalendarMode, day: Day, weekStart: WeekStart, locale?: string): string {
  if (mode === 'month') return asDate(day, locale).toLocaleString({ month: 'long', year: 'numeric' });
  const week = weekOf(day, weekStart);
  const format = new Intl.DateTimeFormat(locale, {
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return format.formatRange(asDate(week[0]!).toJSDate(), asDate(week[6]!).toJSDate());
}

/** "Thursday, December 3, 2026": what a day cell is called for screen readers. */
export function longDate(day: Day, locale?: string): string {
  return asDate(day, locale).toLocaleString({
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
  });
}

/** The weekday names of a week's columns, in the order `weekStart` puts them. */
export function weekdayNames(weekStart: WeekStart, locale?: string): { short: string; long: string }[] {
  const short = Info.weekdays('short', locale ? { locale } : {});
  const long = Info.weekdays('long', locale ? { locale } : {});
  return Array.from({ length: 7 }, (_, i) => {
    const index = (weekStart - 1 + i) % 7;
    return { short: short[index]!, long: long[index]! };
  });
}
