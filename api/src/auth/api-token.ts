import { randomBytes } from 'node:crypto';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ApiTokenScope } from '@taskstack/db/repositories';
import { hashOpaqueToken } from './opaque-token.js';

/**
 * Every personal API token starts with this, so secret scanners (and people) can recognise one in a paste or a
 * commit, and `authenticate` can tell it from a session's JWT without trying both.
 */
export const API_TOKEN_PREFIX = 'tsk_';

/** The longest a token may live: a forgotten token should not work forever. */
export const API_TOKEN_MAX_DAYS = 365;

/** A user holds at most this many live tokens; each is a credential to keep track of. */
export const API_TOKENS_PER_USER = 50;

/** A new secret (256 random bits after the prefix), its hash (all that is stored) and its hint for lists. */
export function newApiToken(): { token: string; hash: string; hint: string } {
  const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, hash: hashOpaqueToken(token), hint: token.slice(0, API_TOKEN_PREFIX.length + 4) };
}

export const isApiToken = (bearer: string) => bearer.startsWith(API_TOKEN_PREFIX);

/**
 * The resources an API token reaches, by OpenAPI tag: the work inside a workspace. Everything about the account
 * (auth, /me, tokens, sessions, two-factor), the workspaces themselves, members, invitations and instance admin
 * stay with a signed-in session, so a leaked token can neither mint more tokens, change a password nor let anyone
 * in. The OpenAPI document lists `apiToken` in the security of exactly these operations.
 */
export const API_TOKEN_TAGS: ReadonlySet<string> = new Set([
  'projects',
  'labels',
  'tasks',
  'subtasks',
  'checklists',
  'comments',
  'attachments',
  'activity',
  'events',
]);

/** What a token allows: one workspace, and reading only or writing too. */
export type ApiTokenGrant = { tokenId: string; workspaceId: string; scope: ApiTokenScope };

/**
 * The grant of the request being served, when it came with an API token. `authenticate` runs the rest of the
 * request inside it, and the one tenant check every workspace-scoped route goes through (`checkRole`) reads it:
 * threading it through each access loader's call sites instead would leave one forgotten call site open, while
 * this fails closed for every loader, present and future.
 */
export const apiTokenGrant = new AsyncLocalStorage<ApiTokenGrant>();
