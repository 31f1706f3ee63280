import { describe, expect, it } from 'vitest';
import {
  byDay,
  dayIn,
  isDay,
  longDate,
  monthGrid,
  moveToDay,
  periodTitle,
  shiftPeriod,
  startOfWeek,
  timeOfDay,
  todayIn,
  weekdayNames,
  weekOf,
  weekStartFor,
  windowOf,
} from './calendar-dates.js';

const firstAndLast = (weeks: string[][]) => [weeks[0]![0], weeks.at(-1)![6], weeks.length];

describe('the month grid', () => {
  it('starts on the locale’s first weekday and covers the whole month in whole weeks', () => {
    // 1 December 2026 is a Tuesday, the 31st a Thursday.
    expect(firstAndLast(monthGrid('2026-12-17', 1))).toEqual(['2026-11-30', '2027-01-03', 5]);
    expect(firstAndLast(monthGrid('2026-12-17', 7))).toEqual(['2026-11-29', '2027-01-02', 5]);
    expect(monthGrid('2026-12-01', 1).every((week) => week.length === 7)).toBe(true);
  });

  it('takes four rows for a February that starts on the first weekday, six for a spread-out month', () => {
    expect(firstAndLast(monthGrid('2021-02-10', 1))).toEqual(['2021-02-01', '2021-02-28', 4]);
    // August 2026 starts on a Saturday and has 31 days.
    expect(firstAndLast(monthGrid('2026-08-31', 1))).toEqual(['2026-07-27', '2026-09-06', 6]);
  });

  it('counts days across month, year and leap-day boundaries', () => {
    expect(weekOf('2024-02-29', 1)).toEqual([
      '2024-02-26',
      '2024-02-27',
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
      '2024-03-02',
      '2024-03-03',
    ]);
    expect(startOfWeek('2027-01-01', 1)).toBe('2026-12-28');
    expect(startOfWeek('2026-12-27', 7)).toBe('2026-12-27');
    expect(shiftPeriod('month', '2027-01-31', 1)).toBe('2027-02-28');
    expect(shiftPeriod('month', '2027-01-15', -1)).toBe('2026-12-15');
    expect(shiftPeriod('week', '2026-12-29', 1)).toBe('2027-01-05');
  });

  it('takes the first weekday from the locale', () => {
    expect(weekStartFor('en-US')).toBe(7);
    expect(weekStartFor('de-DE')).toBe(1);
    expect(weekdayNames(1, 'en-US').map((d) => d.short)).toEqual([
      'Mon',
      'Tue',
      'Wed',
      'Thu',
      'Fri',
      'Sat',
      'Sun',
    ]);
    expect(weekdayNames(7, 'en-US')[0]).toEqual({ short: 'Sun', long: 'Sunday' });
  });

  it('names periods and days', () => {
    expect(periodTitle('month', '2026-12-03', 1, 'en-US')).toBe('December 2026');
    // Intl puts thin spaces around the range's dash.
    expect(periodTitle('week', '2026-12-03', 1, 'en-US').replace(/\s/g, ' ')).toBe('Nov 30 – Dec 6, 2026');
    expect(longDate('2026-12-03', 'en-US')).toBe('Thursday, December 3, 2026');
  });

  it('accepts only real days from a URL', () => {
    expect(isDay('2026-02-28')).toBe(true);
    expect(isDay('2026-02-30')).toBe(false);
    expect(isDay('2026-2-3')).toBe(false);
    expect(isDay(undefined)).toBe(false);
  });
});

describe('days in a time zone', () => {
  it('puts an instant on the day it falls on in the zone', () => {
    expect(dayIn('2026-03-04T04:59:00.000Z', 'America/New_York')).toBe('2026-03-03');
    expect(dayIn('2026-03-04T04:59:00.000Z', 'UTC')).toBe('2026-03-04');
    expect(dayIn('2026-03-03T23:30:00.000Z', 'Asia/Tokyo')).toBe('2026-03-04');
    expect(todayIn('Pacific/Kiritimati', new Date('2026-12-31T12:00:00Z'))).toBe('2027-01-01');
  });

  it('asks for a window from midnight to midnight, 23 or 25 hours on DST days', () => {
    // Berlin moves its clocks forward on 29 March 2026 and back on 25 October 2026.
    expect(windowOf(weekOf('2026-03-25', 1), 'Europe/Berlin')).toEqual({
      dueFrom: '2026-03-22T23:00:00.000Z',
      dueBefore: '2026-03-29T22:00:00.000Z',
    });
    expect(windowOf(['2026-10-25'], 'Europe/Berlin')).toEqual({
      dueFrom: '2026-10-24T22:00:00.000Z',
      dueBefore: '2026-10-25T23:00:00.000Z',
    });
    expect(windowOf(monthGrid('2026-12-01', 1).flat(), 'UTC')).toEqual({
      dueFrom: '2026-11-30T00:00:00.000Z',
      dueBefore: '2027-01-04T00:00:00.000Z',
    });
  });

  it('groups items by day, soonest first, and leaves out undated ones', () => {
    const items = [
      { id: 'late', dueAt: '2026-12-03T22:00:00.000Z' },
      { id: 'none', dueAt: null },
      { id: 'early', dueAt: '2026-12-03T08:00:00.000Z' },
      { id: 'next', dueAt: '2026-12-03T23:30:00.000Z' },
    ];
    const days = byDay(items, 'Europe/Berlin');
    expect([...days.keys()]).toEqual(['2026-12-03', '2026-12-04']);
    expect(days.get('2026-12-03')!.map((i) => i.id)).toEqual(['early', 'late']);
    expect(days.get('2026-12-04')!.map((i) => i.id)).toEqual(['next']);
  });
});

describe('moving a due date to another day', () => {
  it('keeps the time of day on the wall clock across a DST change', () => {
    // 09:00 in Berlin on Friday 27 March 2026 (UTC+1) is 09:00 on Monday 30 March (UTC+2).
    expect(moveToDay('2026-03-27T08:00:00.000Z', '2026-03-30', 'Europe/Berlin')).toBe(
      '2026-03-30T07:00:00.000Z',
    );
    // A date without a time (23:59 in New York) stays 23:59 after the clocks go back on 1 November 2026.
    const moved = moveToDay('2026-11-01T03:59:00.000Z', '2026-11-02', 'America/New_York');
    expect(moved).toBe('2026-11-03T04:59:00.000Z');
    expect(timeOfDay(moved, 'America/New_York')).toBeNull();
  });

  it('crosses month and year boundaries, either way', () => {
    expect(moveToDay('2027-01-31T10:30:00.000Z', '2027-02-01', 'UTC')).toBe('2027-02-01T10:30:00.000Z');
    expect(moveToDay('2027-01-01T10:30:00.000Z', '2026-12-30', 'UTC')).toBe('2026-12-30T10:30:00.000Z');
    // Tokyo's 08:00 on 1 January is still 31 December in UTC: the day is the zone's.
    expect(moveToDay('2026-12-31T23:00:00.000Z', '2027-01-05', 'Asia/Tokyo')).toBe(
      '2027-01-04T23:00:00.000Z',
    );
  });

  it('moves a time inside a spring-forward gap past the gap', () => {
    // 02:30 on 8 March 2026 does not exist in New York: the clocks jump from 02:00 to 03:00.
    expect(moveToDay('2026-03-07T07:30:00.000Z', '2026-03-08', 'America/New_York')).toBe(
      '2026-03-08T07:30:00.000Z',
    );
  });

  it('shows a time only for a due date that has one', () => {
    expect(timeOfDay('2026-12-03T22:59:00.000Z', 'Europe/Berlin')).toBeNull();
    expect(timeOfDay('2026-12-03T08:00:00.000Z', 'Europe/Berlin', 'en-US')).toBe('9:00 AM');
    expect(timeOfDay('2026-12-03T08:00:00.000Z', 'Europe/Berlin', 'de-DE')).toBe('09:00');
  });
});
