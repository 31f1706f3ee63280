import { z } from 'zod';
import '../../openapi/registry.js';
import { roleSchema } from '../../presenters/workspace.js';

export const membersParams = z.object({ id: z.uuid() }).strict();
export const memberParams = z.object({ id: z.uuid(), userId: z.uuid() }).strict();
export const memberBody = z.object({ role: roleSchema }).strict().openapi('MemberBody');
