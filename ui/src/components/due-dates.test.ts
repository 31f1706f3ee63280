import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayIn, endOfDayIn, timeOfDay } from './calendar-dates.js';
import { dueLabel } from './status.js';

// A browser in New York working in a Berlin workspace: the dates must be Berlin's, whatever the process's zone.
const workspace = 'Europe/Berlin';
let processZone: string | undefined;
beforeAll(() => {
  processZone = process.env.TZ;
  process.env.TZ = 'America/New_York';
});
afterAll(() => {
  if (processZone === undefined) delete process.env.TZ;
  else process.env.TZ = processZone;
});

describe('a due date picked in the workspace’s zone', () => {
  it('runs in a New York process', () => {
    expect(new Date('2026-12-03T12:00:00Z').getTimezoneOffset()).toBe(300);
  });

  it('is saved as 23:59 in the workspace’s zone, not the browser’s', () => {
    expect(endOfDayIn('2026-12-03', workspace)).toBe('2026-12-03T22:59:00.000Z');
    // Summer time: Berlin is UTC+2.
    expect(endOfDayIn('2026-06-10', workspace)).toBe('2026-06-10T21:59:00.000Z');
  });

  it('reads back as the day picked, with no time on the calendar', () => {
    const dueAt = endOfDayIn('2026-12-03', workspace);
    expect(dayIn(dueAt, workspace)).toBe('2026-12-03');
    expect(timeOfDay(dueAt, workspace)).toBeNull();
    // In New York that instant is still the 3rd, but 17:59: the old browser-zone reading would show a time.
    expect(timeOfDay(dueAt, 'America/New_York', 'en-US')).toBe('5:59 PM');
  });

  it('is labelled by the workspace’s days', () => {
    const dueAt = endOfDayIn('2026-12-03', workspace);
    // 20:00 on the 2nd in New York is already the 3rd in Berlin: due today there.
    const evening = new Date('2026-12-03T01:00:00Z');
    expect(dueLabel(dueAt, workspace, evening)).toEqual({ text: 'Today', tone: 'soon' });
    expect(dueLabel(dueAt, 'America/New_York', evening)).toEqual({ text: 'Tomorrow', tone: 'soon' });
    expect(dueLabel(dueAt, workspace, new Date('2026-12-03T23:30:00Z'))?.tone).toBe('late');
    expect(dueLabel(endOfDayIn('2026-12-10', workspace), workspace, evening)).toEqual({
      text: new Date('2026-12-10T12:00:00Z').toLocaleDateString(undefined, {
        month: 'short',
        day: 'numeric',
      }),
      tone: 'later',
    });
  });
});
