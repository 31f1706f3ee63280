/**
 * Mentions as the API stores and parses them (api/src/commands/inbox/mentions.ts): `@[Display name](user:<uuid>)`.
 * The editors insert that markup through their autocomplete; the markdown renderer shows it as an "@Name" chip.
 */
import type { Member } from '../services/types.js';

/** The API's pattern, anchored: a mention starting exactly here. */
export const MENTION_AT_START =
  /^@\[([^\]\n]{1,200})\]\(user:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\)/i;

/** A run of plain text, or a mention to show as "@name". */
export type MentionPart = { text: string } | { name: string };

const MENTION_ANYWHERE = new RegExp(MENTION_AT_START.source.slice(1), 'gi');
// The API cuts excerpts at 140 characters and adds "…", which may fall inside a mention's markup.
const CUT_MENTION = /@\[([^\]\n]{1,200}?)(?:\]\(user:[0-9a-f-]*)?…/i;

/**
 * `text` cut into plain runs and mentions, for the places that show mentions outside markdown (activity
 * excerpts); a mention the excerpt cut short still shows as its name, followed by the "…".
 */
export function mentionParts(text: string): MentionPart[] {
  const parts: MentionPart[] = [];
  let at = 0;
  for (const match of text.matchAll(MENTION_ANYWHERE)) {
    if (match.index > at) parts.push({ text: text.slice(at, match.index) });
    parts.push({ name: match[1]! });
    at = match.index + match[0].length;
  }
  const rest = text.slice(at);
  const cut = CUT_MENTION.exec(rest);
  if (cut) {
    if (cut.index > 0) parts.push({ text: rest.slice(0, cut.index) });
    parts.push({ name: cut[1]! }, { text: `…${rest.slice(cut.index + cut[0].length)}` });
  } else if (rest) parts.push({ text: rest });
  return parts;
}

/** The markup that mentions `member`; brackets and line breaks in a name would end it early, so they go. */
export function mentionMarkup(member: Pick<Member, 'userId' | 'name'>): string {
  const name =
    member.name
      .replace(/[[\]\n\r]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 200) || 'someone';
  return `@[${name}](user:${member.userId})`;
}

/** An `@` being typed: where it is and the letters after it, up to the caret. */
export type MentionQuery = { start: number; query: string };

/**
 * The mention being typed just before `caret`, if any: an `@` at the start or after a space or bracket (so an
 * email address is not one), followed by up to 40 name characters with at most one space ("Ada Lo").
 */
export function mentionQueryAt(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const match = /(?:^|[\s([{>"'])@([\p{L}\p{N}._'-]{0,40}(?: [\p{L}\p{N}._'-]{0,40})?)$/u.exec(before);
  if (!match) return null;
  const query = match[1]!;
  return { start: caret - query.length - 1, query };
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * Members whose name (any word of it, or the whole) or email starts with `query`, ignoring case and accents;
 * whole-name matches first, then by name. At most `limit`.
 */
export function matchMembers<T extends Pick<Member, 'name' | 'email'>>(
  members: T[],
  query: string,
  limit = 8,
): T[] {
  const q = fold(query.trim());
  const scored: { member: T; rank: number }[] = [];
  for (const member of members) {
    const name = fold(member.name);
    let rank = -1;
    if (name.startsWith(q)) rank = 0;
    else if (name.split(/\s+/).some((word) => word.startsWith(q))) rank = 1;
    else if (fold(member.email).startsWith(q)) rank = 2;
    if (rank >= 0) scored.push({ member, rank });
  }
  return scored
    .sort((a, b) => a.rank - b.rank || a.member.name.localeCompare(b.member.name))
    .slice(0, limit)
    .map((s) => s.member);
}

/** `text` with the typed `@query` (from `at.start` to `caret`) replaced by the mention, and the caret after it. */
export function insertMention(
  text: string,
  at: MentionQuery,
  caret: number,
  member: Pick<Member, 'userId' | 'name'>,
): { text: string; caret: number } {
  const after = text.slice(caret);
  const markup = mentionMarkup(member);
  // A space after the mention, unless one follows already, so typing carries on naturally.
  const glue = /^\s/.test(after) ? '' : ' ';
  const head = text.slice(0, at.start) + markup + glue;
  return { text: head + after, caret: head.length + (glue ? 0 : 1) };
}
