import { describe, expect, it } from 'vitest';
import { dueInstant, isTimeZone, nextOccurrenceDate, type RecurrenceRule } from './rule.js';

const rule = (fields: Partial<RecurrenceRule> & Pick<RecurrenceRule, 'frequency'>): RecurrenceRule => ({
  interval: 1,
  time: '09:00',
  ...fields,
});
/** The dates a rule makes from `startsOn` when each occurrence is completed before its successor's date. */
function dates(r: RecurrenceRule, startsOn: string, n: number): string[] {
  const out = [startsOn];
  while (out.length < n) {
    const next = nextOccurrenceDate(r, startsOn, out.at(-1)!, '2000-01-01');
    if (!next) break;
    out.push(next);
  }
  return out;
}

describe('recurrence rules', () => {
  it('walks weekly days, every n weeks, month days, n-th weekdays and years', () => {
    // 2027-01-04 is a Monday.
    expect(dates(rule({ frequency: 'weekly', weekdays: ['mo', 'we'] }), '2027-01-04', 4)).toEqual([
      '2027-01-04',
      '2027-01-06',
      '2027-01-11',
      '2027-01-13',
    ]);
    expect(dates(rule({ frequency: 'weekly', interval: 2, weekdays: ['fr'] }), '2027-01-04', 3)).toEqual([
      '2027-01-04',
      '2027-01-08',
      '2027-01-22',
    ]);
    // A month without the 31st is skipped; -1 is every month's last day.
    expect(dates(rule({ frequency: 'monthly', monthDay: 31 }), '2027-01-31', 3)).toEqual([
      '2027-01-31',
      '2027-03-31',
      '2027-05-31',
    ]);
    expect(dates(rule({ frequency: 'monthly', monthDay: -1 }), '2027-01-31', 3)).toEqual([
      '2027-01-31',
      '2027-02-28',
      '2027-03-31',
    ]);
    expect(
      dates(rule({ frequency: 'monthly', nthWeekday: { nth: -1, weekday: 'fr' } }), '2027-01-29', 3),
    ).toEqual(['2027-01-29', '2027-02-26', '2027-03-26']);
    expect(
      dates(rule({ frequency: 'monthly', nthWeekday: { nth: 2, weekday: 'tu' } }), '2027-01-12', 2),
    ).toEqual(['2027-01-12', '2027-02-09']);
    expect(dates(rule({ frequency: 'yearly' }), '2028-02-29', 2)).toEqual(['2028-02-29', '2032-02-29']);
    expect(dates(rule({ frequency: 'daily', interval: 3, until: '2027-01-10' }), '2027-01-01', 9)).toEqual([
      '2027-01-01',
      '2027-01-04',
      '2027-01-07',
      '2027-01-10',
    ]);
  });

  it('skips dates already past instead of making each of them', () => {
    const daily = rule({ frequency: 'daily' });
    expect(nextOccurrenceDate(daily, '2027-01-01', '2027-01-01', '2027-01-09')).toBe('2027-01-09');
    const weekly = rule({ frequency: 'weekly', weekdays: ['mo'] });
    expect(nextOccurrenceDate(weekly, '2027-01-04', '2027-01-04', '2027-01-19')).toBe('2027-01-25');
  });

  it('puts the due time in the zone, and knows zones from offsets', () => {
    expect(dueInstant('2027-03-27', '09:00', 'Europe/Berlin').toISOString()).toBe('2027-03-27T08:00:00.000Z');
    expect(dueInstant('2027-03-29', '09:00', 'Europe/Berlin').toISOString()).toBe('2027-03-29T07:00:00.000Z');
    expect(['Europe/Berlin', 'UTC', 'America/Argentina/Buenos_Aires'].every(isTimeZone)).toBe(true);
    expect(['+03:00', 'UTC+3', 'Mars/Olympus', ''].some(isTimeZone)).toBe(false);
  });
});
