import { randomBytes } from 'node:crypto';

/** Signing secrets start with this, so a leaked one is recognisable in a paste or a commit. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** A new signing secret: 256 random bits. */
export const newWebhookSecret = () => WEBHOOK_SECRET_PREFIX + randomBytes(32).toString('base64url');
