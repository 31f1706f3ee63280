/**
 * Mentions are stored in the text as `@[Display name](user:<uuid>)`: the editor's autocomplete inserts them, the
 * id makes them unambiguous (names are neither unique nor stable) and the display name keeps the raw text readable
 * anywhere it is shown unrendered (emails, the API). A bare `@name` is plain text and notifies nobody.
 */
const MENTION =
  /@\[([^\]\n]{1,200})\]\(user:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\)/gi;

/** The distinct user ids mentioned in `text`, in order of first mention. */
export function mentionedIds(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(MENTION), (m) => m[2]!.toLowerCase()))];
}

/** `text` with each mention shown as `@Name`, for excerpts and emails. */
export const plainMentions = (text: string) => text.replace(MENTION, (_, name: string) => `@${name}`);

/** At most 140 code points of `text` with mentions shown as names (cut between code points, as Postgres wants). */
export function inboxExcerpt(text: string): string {
  const points = Array.from(plainMentions(text).replace(/\s+/g, ' ').trim());
  return points.length > 140 ? `${points.slice(0, 139).join('')}…` : points.join('');
}
