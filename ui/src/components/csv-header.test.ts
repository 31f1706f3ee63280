import { describe, expect, it } from 'vitest';
import { csvHeader, guessMapping } from './csv-header.js';

describe('csvHeader', () => {
  it('reads the first record with quotes, doubled quotes and a BOM, and stops at the end of it', () => {
    expect(csvHeader('\uFEFFSummary,"Details, long","Say ""hi""",Due\r\nA,b,c,d\n')).toEqual([
      'Summary',
      'Details, long',
      'Say "hi"',
      'Due',
    ]);
    expect(csvHeader('"Multi\nline",Two\nx,y')).toEqual(['Multi\nline', 'Two']);
  });

  it('guesses the mapping from header names', () => {
    expect(
      guessMapping(['Summary', 'Details', 'State', 'Prio', 'Due', 'Owner', 'Tags', 'Board', 'Other']),
    ).toEqual({
      titleColumn: 'Summary',
      descriptionColumn: 'Details',
      statusColumn: 'State',
      priorityColumn: 'Prio',
      dueAtColumn: 'Due',
      assigneeColumn: 'Owner',
      labelsColumn: 'Tags',
      projectColumn: 'Board',
    });
  });
});
