import { z } from 'zod';
import '../../openapi/registry.js';
import { totpCodeField } from '../auth/schema.js';

export const totpStatusOutput = z
  .object({
    enabled: z.boolean(),
    recoveryCodesLeft: z.number().int(),
    /** False for an account made by single sign-on, which has no password: turning off takes a code alone. */
    passwordRequired: z.boolean(),
  })
  .openapi('TotpStatus');
export const totpEnrolmentOutput = z
  .object({
    /** Base32, for typing into an app that cannot scan. */
    secret: z.string(),
    otpauthUri: z.string(),
    /** The URI as a QR code: an SVG `data:` URL for an `<img>`. */
    qrCode: z.string(),
  })
  .openapi('TotpEnrolment');
export const totpCodeBody = z.object({ code: totpCodeField }).strict().openapi('TotpCodeBody');
export const recoveryCodesOutput = z
  .object({ recoveryCodes: z.array(z.string()) })
  .openapi('TotpRecoveryCodes');
export const disableTotpBody = z
  .object({ password: z.string().min(1).max(256).optional(), code: totpCodeField })
  .strict()
  .openapi('DisableTotpBody');
