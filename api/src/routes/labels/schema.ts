import { z } from 'zod';

export const workspaceParams = z.object({ id: z.uuid() }).strict();
export const labelParams = z.object({ id: z.uuid() }).strict();

const name = z.string().trim().min(1).max(50);
const color = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'must be a hex colour like #3b82f6')
  .transform((c) => c.toLowerCase());

export const createLabelBody = z.object({ name, color }).strict();
export const updateLabelBody = z.object({ name: name.optional(), color: color.optional() }).strict();
