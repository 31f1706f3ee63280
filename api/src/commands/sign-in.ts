import { findTotp, type SessionClient } from '@taskstack/db/repositories';
import type { AppContext } from '../context.js';
import { hashOpaqueToken, newOpaqueToken } from '../auth/opaque-token.js';
import { issueSession, type Session } from './sessions.js';
import { verifySecondFactor } from './totp/second-factor.js';

/** How long the second step of a sign-in may take after the first. */
export const TOTP_CHALLENGE_TTL_SECONDS = 5 * 60;

type SignInContext = Pick<AppContext, 'config' | 'redis' | 'sql' | 'keyring'>;

export type SignInOutcome =
  | { outcome: 'session'; session: Session }
  | { outcome: 'challenge'; challenge: string; expiresInSeconds: number };

const challengeKey = (ctx: SignInContext, challenge: string) =>
  `${ctx.config.REDIS_PREFIX}:totp-challenge:${hashOpaqueToken(challenge)}`;

/**
 * The one place a proven identity (a password, an OIDC login) becomes a session: a user with two-factor gets a
 * short-lived challenge instead, which only `completeChallenge` with a code turns into a session.
 */
export async function sessionOrChallenge(
  ctx: SignInContext,
  userId: string,
  client: SessionClient,
): Promise<SignInOutcome> {
  if (!(await findTotp(ctx.sql, userId))?.confirmedAt) {
    return { outcome: 'session', session: await issueSession(ctx, userId, client) };
  }
  const { token } = newOpaqueToken();
  await ctx.redis.set(challengeKey(ctx, token), userId, 'EX', TOTP_CHALLENGE_TTL_SECONDS);
  return { outcome: 'challenge', challenge: token, expiresInSeconds: TOTP_CHALLENGE_TTL_SECONDS };
}

/** The user a live challenge belongs to; undefined once it expired or was used. */
export async function challengeUser(ctx: SignInContext, challenge: string): Promise<string | undefined> {
  return (await ctx.redis.get(challengeKey(ctx, challenge))) ?? undefined;
}

/**
 * The second step: a valid code (or recovery code) for the challenge's user ends the challenge and starts the
 * session. Undefined: wrong code, or the challenge was used meanwhile (deleting it is the claim, so one challenge
 * gives one session).
 */
export async function completeChallenge(
  ctx: SignInContext,
  challenge: string,
  userId: string,
  code: string,
  client: SessionClient,
): Promise<Session | undefined> {
  if (!(await verifySecondFactor(ctx, userId, code))) return undefined;
  if ((await ctx.redis.del(challengeKey(ctx, challenge))) !== 1) return undefined;
  return issueSession(ctx, userId, client);
}
