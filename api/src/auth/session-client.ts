import type { Request } from 'express';
import type { SessionClient } from '@taskstack/db/repositories';
import { clientIp } from '../middlewares/rate-limit.js';

/** What the sessions screen shows of where a session was started or refreshed: the browser and the address. */
export function sessionClient(req: Request): SessionClient {
  return { userAgent: (req.get('user-agent') ?? '').slice(0, 512), ipAddress: clientIp(req) };
}
