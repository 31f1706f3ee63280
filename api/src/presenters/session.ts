import type { SessionRecord } from '@taskstack/db/repositories';
import { z } from 'zod';
import '../openapi/registry.js';

export const sessionOutput = z
  .object({
    id: z.uuid(),
    /** The browser's User-Agent when the session was last refreshed. */
    userAgent: z.string(),
    ipAddress: z.string(),
    createdAt: z.string(),
    /** When the session last signed in or refreshed its access token (every 15 minutes while in use). */
    lastSeenAt: z.string(),
    /** Whether this is the session making the request. */
    current: z.boolean(),
  })
  .openapi('SignInSession');

export function presentSession(session: SessionRecord, currentId: string): z.infer<typeof sessionOutput> {
  return {
    id: session.id,
    userAgent: session.userAgent,
    ipAddress: session.ipAddress,
    createdAt: session.createdAt.toISOString(),
    lastSeenAt: session.lastSeenAt.toISOString(),
    current: session.id === currentId,
  };
}
