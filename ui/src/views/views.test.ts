import { describe, expect, it } from 'vitest';
import { safeRedirect } from './redirect.js';
import { dueLabel } from '../components/status.js';

describe('safeRedirect', () => {
  it('only follows paths inside the app', () => {
    expect(safeRedirect('/w/1/projects/2?task=3')).toBe('/w/1/projects/2?task=3');
    expect(safeRedirect('//evil.example/')).toBe('/');
    expect(safeRedirect('/\\evil.example/')).toBe('/');
    expect(safeRedirect('https://evil.example/')).toBe('/');
    expect(safeRedirect(undefined)).toBe('/');
  });
});

describe('dueLabel', () => {
  const now = new Date(2026, 5, 10, 12, 0);
  // The dates below are made on the process's clock, so this counts days in its zone (due-dates.test takes others).
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  it('reads overdue, today, tomorrow and later dates', () => {
    expect(dueLabel(null, zone, now)).toBeNull();
    expect(dueLabel(new Date(2026, 5, 8, 23, 59).toISOString(), zone, now)?.tone).toBe('late');
    expect(dueLabel(new Date(2026, 5, 10, 23, 59).toISOString(), zone, now)).toEqual({
      text: 'Today',
      tone: 'soon',
    });
    expect(dueLabel(new Date(2026, 5, 11, 9, 0).toISOString(), zone, now)).toEqual({
      text: 'Tomorrow',
      tone: 'soon',
    });
    expect(dueLabel(new Date(2026, 6, 30, 9, 0).toISOString(), zone, now)?.tone).toBe('later');
  });
});
