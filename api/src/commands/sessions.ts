import {
  claimRefreshToken,
  findRefreshToken,
  insertRefreshToken,
  recordSessionSeen,
  revokeRefreshFamily,
  revokeRefreshTokensOf,
  revokeUserRefreshFamily,
  usedSinceAndLive,
  type Queryable,
  type SessionClient,
} from '@taskstack/db/repositories';
import { randomUUID } from 'node:crypto';
import { signAccessToken } from '../auth/access-token.js';
import { hashOpaqueToken, newOpaqueToken } from '../auth/opaque-token.js';
import { REFRESH_TOKEN_TTL_MS } from '../auth/refresh-cookie.js';
import { noteSessionsEnded, type RevocationStore } from '../auth/session-revocations.js';

export type Session = { accessToken: string; refreshToken: string };
/** Where sessions live: refresh tokens in Postgres (`sql`), ended sessions in Redis. */
type SessionContext = RevocationStore & { config: { JWT_SECRET: string }; sql: Queryable };

/**
 * How long a just-used refresh token still renews. Two tabs share one cookie; when both refresh at the same moment,
 * the second presents the token the first has just used. Within this window it gets a session of the same family
 * instead of ending it; later, a used token can only be a replay.
 */
export const REFRESH_GRACE_MS = 10_000;

/**
 * Starts a session (a new refresh-token family) or continues `familyId` with its next token, noting the device and
 * address it comes from for the sessions screen.
 */
export async function issueSession(
  ctx: SessionContext,
  userId: string,
  client: SessionClient,
  familyId: string = randomUUID(),
): Promise<Session> {
  const { token, hash } = newOpaqueToken();
  await insertRefreshToken(ctx.sql, {
    familyId,
    userId,
    tokenHash: hash,
    expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_MS),
  });
  await recordSessionSeen(ctx.sql, familyId, userId, client);
  return { accessToken: await signAccessToken(userId, familyId, ctx.config.JWT_SECRET), refreshToken: token };
}

export type RotationResult =
  | { outcome: 'rotated'; session: Session; userId: string }
  | { outcome: 'invalid' }
  | { outcome: 'reused'; userId: string };

/**
 * Exchanges a refresh token for the next one of its family. The old token is marked used in the same statement that
 * checks it, so two concurrent uses cannot both take it. A token used within REFRESH_GRACE_MS renews once more (two
 * tabs); one used earlier means it leaked (or a stolen copy raced the owner), so the whole family is revoked and
 * every holder must sign in again.
 */
export async function rotateSession(
  ctx: SessionContext,
  token: string,
  client: SessionClient,
): Promise<RotationResult> {
  const tokenHash = hashOpaqueToken(token);
  const current = await claimRefreshToken(ctx.sql, tokenHash);
  if (current) {
    const session = await issueSession(ctx, current.userId, client, current.familyId);
    return { outcome: 'rotated', session, userId: current.userId };
  }
  const known = await findRefreshToken(ctx.sql, tokenHash);
  if (!known?.usedAt) return { outcome: 'invalid' };
  if (await usedSinceAndLive(ctx.sql, known.id, new Date(Date.now() - REFRESH_GRACE_MS))) {
    const session = await issueSession(ctx, known.userId, client, known.familyId);
    return { outcome: 'rotated', session, userId: known.userId };
  }
  if (!known.revokedAt) await revokeFamily(ctx, known.familyId);
  return { outcome: 'reused', userId: known.userId };
}

/** Ends one session: every token of its family stops working, its access tokens included. */
export async function revokeFamily(ctx: SessionContext, familyId: string): Promise<void> {
  await revokeRefreshFamily(ctx.sql, familyId);
  await noteSessionsEnded(ctx, [familyId]);
}

/** Ends one of the user's live sessions (the sessions screen); false when they have no such session. */
export async function revokeSessionOfUser(
  ctx: SessionContext,
  userId: string,
  familyId: string,
): Promise<boolean> {
  if (!(await revokeUserRefreshFamily(ctx.sql, userId, familyId))) return false;
  await noteSessionsEnded(ctx, [familyId]);
  return true;
}

/** Ends the family `token` belongs to, if it names one (logout). */
export async function revokeSessionOf(ctx: SessionContext, token: string): Promise<void> {
  const known = await findRefreshToken(ctx.sql, hashOpaqueToken(token));
  if (known) await revokeFamily(ctx, known.familyId);
}

/** Ends every session of a user (password reset) on `db` (the route's transaction), their access tokens included. */
export async function revokeAllSessions(ctx: RevocationStore, db: Queryable, userId: string): Promise<void> {
  await noteSessionsEnded(ctx, await revokeRefreshTokensOf(db, userId));
}
