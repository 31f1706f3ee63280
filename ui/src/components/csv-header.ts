/**
 * The header row of a CSV file, read in the browser so the admin can map its columns before uploading: the first
 * record (quoted fields may hold commas, doubled quotes and line breaks), a leading BOM dropped. The worker parses
 * the whole file with csv-parse; this reads only as far as the header.
 */
export function csvHeader(text: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  const input = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field.trim());
      field = '';
    } else if (c === '\n' || c === '\r') break;
    else field += c;
  }
  fields.push(field.trim());
  return fields.filter((f, i) => f || i < fields.length - 1);
}

/** The task fields a CSV column can feed, with the header a column of that name most likely has. */
export const CSV_FIELDS = [
  { key: 'titleColumn', label: 'Title', guess: /^(title|name|summary|task)$/i },
  { key: 'descriptionColumn', label: 'Description', guess: /^(description|details|notes?|body)$/i },
  { key: 'statusColumn', label: 'Status', guess: /^(status|state|column|list)$/i },
  { key: 'priorityColumn', label: 'Priority', guess: /^(priority|prio)$/i },
  { key: 'dueAtColumn', label: 'Due date', guess: /^(due|due.?date|due.?at|deadline)$/i },
  { key: 'assigneeColumn', label: 'Assignee email', guess: /^(assignee|owner|assigned.?to|email)$/i },
  { key: 'labelsColumn', label: 'Labels', guess: /^(labels?|tags?)$/i },
  { key: 'projectColumn', label: 'Project', guess: /^(project|board)$/i },
] as const;
export type CsvFieldKey = (typeof CSV_FIELDS)[number]['key'];

/** A first mapping: each field gets the header that looks like it, if any. */
export function guessMapping(header: string[]): Partial<Record<CsvFieldKey, string>> {
  const mapping: Partial<Record<CsvFieldKey, string>> = {};
  for (const field of CSV_FIELDS) {
    const match = header.find((h) => field.guess.test(h.trim()));
    if (match) mapping[field.key] = match;
  }
  return mapping;
}
