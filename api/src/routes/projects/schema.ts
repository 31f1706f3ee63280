import { z } from 'zod';

export const workspaceParams = z.object({ id: z.uuid() }).strict();
export const projectParams = z.object({ id: z.uuid() }).strict();

const name = z.string().trim().min(1).max(200);
const description = z.string().max(10_000);

export const createProjectBody = z.object({ name, description: description.optional() }).strict();
export const updateProjectBody = z
  .object({ name: name.optional(), description: description.optional(), archived: z.boolean().optional() })
  .strict();
