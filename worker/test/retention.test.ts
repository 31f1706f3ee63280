import { describe, expect, it } from 'vitest';
import { selectExpired, selectKept } from '../src/backup/retention.js';
import { calendar, EXPECTED_AFTER_400_DAYS } from './calendar.js';

const policy = { daily: 7, weekly: 4, monthly: 6 };

describe('grandfather-father-son retention', () => {
  it('pruning every day for 400 days keeps exactly the expected backups', () => {
    let files: string[] = [];
    for (const file of calendar('2025-01-01', 400)) {
      files.push(file);
      const expired = new Set(selectExpired(files, policy));
      files = files.filter((f) => !expired.has(f));
    }
    expect(files.sort()).toEqual(EXPECTED_AFTER_400_DAYS);
  });

  it('gives the same result applied once as applied daily, and never drops the newest backup', () => {
    const all = calendar('2025-01-01', 400);
    expect([...selectKept(all, policy)].sort()).toEqual(EXPECTED_AFTER_400_DAYS);
    expect(selectKept(all, { daily: 0, weekly: 0, monthly: 1 })).toEqual(new Set([all.at(-1)]));
  });

  it('keeps several backups of one day only as the newest, and leaves unrelated files alone', () => {
    const files = ['db-20260101T010000Z.dump', 'db-20260101T020000Z.dump', 'notes.txt'];
    expect(selectExpired(files, { daily: 1, weekly: 0, monthly: 0 })).toEqual(['db-20260101T010000Z.dump']);
  });
});
