import { z } from 'zod';
import '../../openapi/registry.js';

export const workspaceParams = z.object({ id: z.uuid() }).strict();
export const workspaceBody = z
  .object({ name: z.string().trim().min(1).max(100) })
  .strict()
  .openapi('WorkspaceBody');
export const workspaceSecurityBody = z
  .object({ requireTotp: z.boolean() })
  .strict()
  .openapi('WorkspaceSecurityBody');
