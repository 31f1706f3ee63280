import type { DataKeyring } from '@taskstack/db';
import {
  claimTotpStep,
  findTotp,
  openTotpSecret,
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
    const step = totpStepOf(openTotpSecret(ctx.keyring, userId, totp.secretEncrypted), code);
    return step !== null && (await claimTotpStep(ctx.sql, userId, step, pending));
  }
  return !pending && useRecoveryCode(ctx.sql, userId, hashRecoveryCode(code));
}
