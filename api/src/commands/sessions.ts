import { RefreshToken } from '@taskstack/db';
import { randomUUID } from 'node:crypto';
import { Op, type Transaction } from 'sequelize';
import { signAccessToken } from '../auth/access-token.js';
import { hashOpaqueToken, newOpaqueToken } from '../auth/opaque-token.js';
import { REFRESH_TOKEN_TTL_MS } from '../auth/refresh-cookie.js';

export type Session = { accessToken: string; refreshToken: string };

/** Starts a session (a new refresh-token family) or continues `familyId` with its next token. */
export async function issueSession(
  userId: string,
  secret: string,
  familyId: string = randomUUID(),
  transaction?: Transaction,
): Promise<Session> {
  const { token, hash } = newOpaqueToken();
  await RefreshToken.create(
    { familyId, userId, tokenHash: hash, expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_MS) },
    { transaction },
  );
  return { accessToken: await signAccessToken(userId, secret), refreshToken: token };
}

export type RotationResult =
  | { outcome: 'rotated'; session: Session; userId: string }
  | { outcome: 'invalid' }
  | { outcome: 'reused'; userId: string };

/**
 * Exchanges a refresh token for the next one of its family. The old token is marked used in the same statement that
 * checks it, so two concurrent uses cannot both win; presenting an already-used token means it leaked (or a
 * stolen copy raced the owner), so the whole family is revoked and every holder must sign in again.
 */
export async function rotateSession(token: string, secret: string): Promise<RotationResult> {
  const tokenHash = hashOpaqueToken(token);
  const [count, rows] = await RefreshToken.update(
    { usedAt: new Date() },
    {
      where: {
        tokenHash,
        usedAt: null,
        revokedAt: null,
        expiresAt: { [Op.gt]: new Date() },
      },
      returning: true,
    },
  );
  const current = count === 1 ? rows[0] : undefined;
  if (current) {
    const session = await issueSession(current.userId, secret, current.familyId);
    return { outcome: 'rotated', session, userId: current.userId };
  }
  const known = await RefreshToken.findOne({ where: { tokenHash } });
  if (!known) return { outcome: 'invalid' };
  if (known.usedAt) {
    await revokeFamily(known.familyId);
    return { outcome: 'reused', userId: known.userId };
  }
  return { outcome: 'invalid' };
}

/** Ends one session: every token of its family stops working. */
export async function revokeFamily(familyId: string, transaction?: Transaction): Promise<void> {
  await RefreshToken.update({ revokedAt: new Date() }, { where: { familyId, revokedAt: null }, transaction });
}

/** Ends the family `token` belongs to, if it names one (logout). */
export async function revokeSessionOf(token: string): Promise<void> {
  const known = await RefreshToken.findOne({ where: { tokenHash: hashOpaqueToken(token) } });
  if (known) await revokeFamily(known.familyId);
}

/** Ends every session of a user (password reset). */
export async function revokeAllSessions(userId: string, transaction?: Transaction): Promise<void> {
  await RefreshToken.update({ revokedAt: new Date() }, { where: { userId, revokedAt: null }, transaction });
}
