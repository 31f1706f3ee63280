import { DateTime, IANAZone } from 'luxon';
import rrule from 'rrule';

const { RRule } = rrule;

/** Days of the week as RFC 5545 writes them (BYDAY), Monday first. */
export const WEEKDAYS = ['mo', 'tu', 'we', 'th', 'fr', 'sa', 'su'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const FREQUENCIES = ['daily', 'weekly', 'monthly', 'yearly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/**
 * How a task repeats, in the workspace's time zone. Dates are local calendar dates (`YYYY-MM-DD`), `time` the
 * local time of day (`HH:MM`) each occurrence is due at, so 09:00 stays 09:00 across a DST change.
 */
export type RecurrenceRule = {
  frequency: Frequency;
  /** Every `interval` days/weeks/months/years. */
  interval: number;
  /** weekly: the days it falls on. */
  weekdays?: Weekday[] | undefined;
  /** monthly: a day of the month (1–31; -1 the last day). A month without that day is skipped (RFC 5545). */
  monthDay?: number | undefined;
  /** monthly: the n-th (1–4, or -1 the last) given weekday of the month. */
  nthWeekday?: { nth: number; weekday: Weekday } | undefined;
  time: string;
  /** The last local date an occurrence may fall on. */
  until?: string | undefined;
  /** How many occurrences the series makes in all, the first task included. */
  count?: number | undefined;
};

const RRULE_FREQ = { daily: RRule.DAILY, weekly: RRule.WEEKLY, monthly: RRule.MONTHLY, yearly: RRule.YEARLY };
const RRULE_DAY = Object.fromEntries(WEEKDAYS.map((day, i) => [day, i])) as Record<Weekday, number>;

/**
 * rrule computes in "floating" time: a local date is handed over as that date at 00:00 UTC and read back the
 * same way, so its arithmetic never meets an offset. The zone is applied only when a date becomes an instant.
 */
const floating = (date: string) => new Date(`${date}T00:00:00Z`);
const fromFloating = (date: Date) => date.toISOString().slice(0, 10);

function toRRule(rule: RecurrenceRule, startsOn: string) {
  const byweekday =
    rule.frequency === 'weekly'
      ? rule.weekdays?.map((day) => RRULE_DAY[day])
      : rule.nthWeekday
        ? [new rrule.Weekday(RRULE_DAY[rule.nthWeekday.weekday], rule.nthWeekday.nth)]
        : undefined;
  return new RRule({
    freq: RRULE_FREQ[rule.frequency],
    interval: rule.interval,
    dtstart: floating(startsOn),
    wkst: RRule.MO,
    ...(byweekday ? { byweekday } : {}),
    ...(rule.frequency === 'monthly' && rule.monthDay !== undefined ? { bymonthday: rule.monthDay } : {}),
  });
}

const addDays = (date: string, days: number) =>
  DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate()!;

/**
 * The date of the occurrence that follows `latest`: the first date of the rule after it that is not before
 * `notBefore` (today, locally). Dates missed meanwhile are skipped, not made one by one. Null once the rule's
 * `until` is passed; `count` is the caller's to check, since only it knows how many were made.
 */
export function nextOccurrenceDate(
  rule: RecurrenceRule,
  startsOn: string,
  latest: string,
  notBefore: string,
): string | null {
  const from = addDays(latest, 1) > notBefore ? addDays(latest, 1) : notBefore;
  const next = toRRule(rule, startsOn).after(floating(from), true);
  if (!next) return null;
  const date = fromFloating(next);
  return rule.until && date > rule.until ? null : date;
}

/** The instant an occurrence on local `date` is due: `time` there, in `zone` (a DST gap moves it forward). */
export function dueInstant(date: string, time: string, zone: string): Date {
  return DateTime.fromISO(`${date}T${time}`, { zone }).toUTC().toJSDate();
}

/** The local calendar date of an instant in `zone`. */
export function localDate(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toISODate()!;
}

/** The local time of day (`HH:MM`) of an instant in `zone`. */
export function localTime(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat('HH:mm');
}

/** Whether `zone` is an IANA time zone name this runtime knows (what `Intl` accepts, aliases included). */
export function isTimeZone(zone: string): boolean {
  // Intl also takes offsets such as `+03:00`; a fixed offset is not a zone (it knows no DST), so it is refused.
  return !/^[+-]|^(utc|gmt)[+-]/i.test(zone) && IANAZone.isValidZone(zone);
}
