import { z } from 'zod';
import { pageQuery } from '../../pagination.js';

export const taskParams = z.object({ id: z.uuid() }).strict();
export const commentParams = z.object({ id: z.uuid() }).strict();
export const commentBody = z.object({ body: z.string().trim().min(1).max(20_000) }).strict();
export const listCommentsQuery = z.object(pageQuery).strict();
