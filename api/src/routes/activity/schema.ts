import { z } from 'zod';
import { pageQuery } from '../../pagination.js';

export const projectParams = z.object({ id: z.uuid() }).strict();
export const listActivityQuery = z.object(pageQuery).strict();
