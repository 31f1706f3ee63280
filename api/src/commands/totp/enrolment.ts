import {
  deleteTotp,
  findTotp,
  ownsTotpWorkspace,
  replaceRecoveryCodes,
  startTotpEnrolment,
  unusedRecoveryCodes,
} from '@taskstack/db/repositories';
import QRCode from 'qrcode';
import { NO_PASSWORD, verifyPassword } from '../../auth/passwords.js';
import { newRecoveryCodes, newTotpSecret } from '../../auth/totp.js';
import { badRequest, conflict } from '../../errors.js';
import { verifySecondFactor, type TotpContext } from './second-factor.js';

export type TotpStatus = { enabled: boolean; recoveryCodesLeft: number; passwordRequired: boolean };

type Account = { id: string; passwordHash: string };
/** An account made by single sign-on has no password to ask for. */
const hasPassword = (user: Account) => user.passwordHash !== NO_PASSWORD;

/**
 * Whether the user has two-factor, how many recovery codes they have left, and whether turning it off asks for
 * the password.
 */
export async function totpStatus(ctx: TotpContext, user: Account): Promise<TotpStatus> {
  const totp = await findTotp(ctx.sql, user.id);
  const enabled = Boolean(totp?.confirmedAt);
  return {
    enabled,
    recoveryCodesLeft: enabled ? await unusedRecoveryCodes(ctx.sql, user.id) : 0,
    passwordRequired: hasPassword(user),
  };
}

/**
 * Starts enrolment with a fresh secret (a second start replaces an unconfirmed one): the only time the secret
 * leaves the server, as the otpauth:// URI, its QR code and the base32 text for typing it in.
 */
export async function startEnrolment(ctx: TotpContext, user: { id: string; email: string }) {
  const { base32, uri } = newTotpSecret(user.email);
  if (!(await startTotpEnrolment(ctx.sql, ctx.keyring, user.id, base32))) {
    throw conflict('Two-factor sign-in is already on. Turn it off first to set up another device.');
  }
  const svg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return {
    secret: base32,
    otpauthUri: uri,
    qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
  };
}

/** Confirms enrolment with a first code; returns the recovery codes, shown this once and kept only as hashes. */
export async function confirmEnrolment(ctx: TotpContext, userId: string, code: string): Promise<string[]> {
  const totp = await findTotp(ctx.sql, userId);
  if (!totp || totp.confirmedAt) throw conflict('There is no two-factor setup to confirm. Start again.');
  if (!(await verifySecondFactor(ctx, userId, code, { pending: true }))) {
    throw badRequest('That code is not right. Check the time on your device and try the next one.');
  }
  const { codes, hashes } = newRecoveryCodes();
  await replaceRecoveryCodes(ctx.sql, userId, hashes);
  return codes;
}

/**
 * Turns two-factor off with the password and a code (or recovery code): a stolen session alone cannot. An account
 * without a password (made by single sign-on) gives the code alone, which a stolen session still lacks. The owner
 * of a workspace that requires it must lift the requirement first.
 */
export async function disableTotp(
  ctx: TotpContext,
  user: Account,
  password: string | undefined,
  code: string,
): Promise<void> {
  if (!(await findTotp(ctx.sql, user.id))?.confirmedAt) throw conflict('Two-factor sign-in is not on.');
  if (hasPassword(user) && !(password && (await verifyPassword(user.passwordHash, password)))) {
    throw badRequest('The password is not right.');
  }
  if (await ownsTotpWorkspace(ctx.sql, user.id)) {
    throw conflict('You own a workspace that requires two-factor sign-in: turn that off first.');
  }
  if (!(await verifySecondFactor(ctx, user.id, code))) throw badRequest('That code is not right.');
  await deleteTotp(ctx.sql, user.id);
}
