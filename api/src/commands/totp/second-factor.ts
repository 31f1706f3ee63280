import type { DataKeyring } from '@taskstack/db';
import {
  claimTotpStep,
  findTotp,
  tryOpenTotpSecret,
  useRecoveryCode,
  type Queryable,
} from '@taskstack/db/repositories';
import { hashRecoveryCode, isTotpCode, totpStepOf } from '../../auth/totp.js';

/** What the two-factor commands need: the database and the keyring the secrets are sealed with. */
export type TotpContext = { sql: Queryable; keyring: DataKeyring };

/**
 * Checks a second factor of a user with confirmed two-factor: a code from their app, accepted once (its time step is
 * claimed in the statement that checks it, so a replay within its 90 s window fails), or an unused recovery code,
 * spent by the check. `pending`: the code confirms an enrolment instead.
 */
export async function verifySecondFactor(
  ctx: TotpContext,
  userId: string,
  code: string,
  { pending = false }: { pending?: boolean } = {},
): Promise<boolean> {
  const totp = await findTotp(ctx.sql, userId);
  if (!totp || (totp.confirmedAt === null) !== pending) return false;
  if (isTotpCode(code)) {
    // A secret that does not open (altered or copied from another user; start-up warns naming these users) accepts
    // no code, as a wrong code, rather than failing the request: recovery codes and an admin's reset still work.
    const secret = tryOpenTotpSecret(ctx.keyring, userId, totp.secretEncrypted);
    if (secret === undefined) return false;
    const step = totpStepOf(secret, code);
    return step !== null && (await claimTotpStep(ctx.sql, userId, step, pending));
  }
  return !pending && useRecoveryCode(ctx.sql, userId, hashRecoveryCode(code));
}
