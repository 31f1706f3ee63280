import { z } from 'zod';

export const taskParams = z.object({ id: z.uuid() }).strict();
export const attachmentParams = z.object({ id: z.uuid() }).strict();
export const uploadBody = z.object({ file: z.string().openapi({ format: 'binary' }) });
