import { RefreshToken } from '@taskstack/db';
import { randomUUID } from 'node:crypto';
import { Op, type Transaction } from 'sequelize';
import { signAccessToken } from '../auth/access-token.js';
import { hashOpaqueToken, newOpaqueToken } from '../auth/opaque-token.js';
import { REFRESH_TOKEN_TTL_MS } from '../auth/refresh-cookie.js';
import { noteSessionsEnded, type RevocationStore } from '../auth/session-revocations.js';

export type Session = { accessToken: string; refreshToken: string };
type SessionContext = RevocationStore & { config: { JWT_SECRET: string } };

/**
 * How long a just-used refresh token still renews. Two tabs share one cookie; when both refresh at the same moment,
 * the second presents the token the first has just used. Within this window it gets a session of the same family
 * instead of ending it; later, a used token can only be a replay.
 */
export const REFRESH_GRACE_MS = 10_000;

/** Starts a session (a new refresh-token family) or continues `familyId` with its next token. */
export async function issueSession(
  ctx: SessionContext,
  userId: string,
  familyId: string = randomUUID(),
  transaction?: Transaction,
): Promise<Session> {
  const { token, hash } = newOpaqueToken();
  await RefreshToken.create(
    { familyId, userId, tokenHash: hash, expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_MS) },
    { transaction },
  );
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
export async function rotateSession(ctx: SessionContext, token: string): Promise<RotationResult> {
  const tokenHash = hashOpaqueToken(token);
  const live = { revokedAt: null, expiresAt: { [Op.gt]: new Date() } };
  const [count, rows] = await RefreshToken.update(
    { usedAt: new Date() },
    { where: { tokenHash, usedAt: null, ...live }, returning: true },
  );
  const current = count === 1 ? rows[0] : undefined;
  if (current) {
    const session = await issueSession(ctx, current.userId, current.familyId);
    return { outcome: 'rotated', session, userId: current.userId };
  }
  const known = await RefreshToken.findOne({ where: { tokenHash } });
  if (!known?.usedAt) return { outcome: 'invalid' };
  const concurrent = await RefreshToken.findOne({
    where: { id: known.id, usedAt: { [Op.gt]: new Date(Date.now() - REFRESH_GRACE_MS) }, ...live },
  });
  if (concurrent) {
    const session = await issueSession(ctx, known.userId, known.familyId);
    return { outcome: 'rotated', session, userId: known.userId };
  }
  if (!known.revokedAt) await revokeFamily(ctx, known.familyId);
  return { outcome: 'reused', userId: known.userId };
}

/** Ends one session: every token of its family stops working, its access tokens included. */
export async function revokeFamily(
  ctx: RevocationStore,
  familyId: string,
  transaction?: Transaction,
): Promise<void> {
  await RefreshToken.update({ revokedAt: new Date() }, { where: { familyId, revokedAt: null }, transaction });
  await noteSessionsEnded(ctx, [familyId]);
}

/** Ends the family `token` belongs to, if it names one (logout). */
export async function revokeSessionOf(ctx: RevocationStore, token: string): Promise<void> {
  const known = await RefreshToken.findOne({ where: { tokenHash: hashOpaqueToken(token) } });
  if (known) await revokeFamily(ctx, known.familyId);
}

/** Ends every session of a user (password reset), their access tokens included. */
export async function revokeAllSessions(
  ctx: RevocationStore,
  userId: string,
  transaction?: Transaction,
): Promise<void> {
  const [, rows] = await RefreshToken.update(
    { revokedAt: new Date() },
    { where: { userId, revokedAt: null, expiresAt: { [Op.gt]: new Date() } }, transaction, returning: true },
  );
  await noteSessionsEnded(
    ctx,
    rows.map((row) => row.familyId),
  );
}
