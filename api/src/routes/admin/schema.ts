import { z } from 'zod';
import '../../openapi/registry.js';
import { pageQuery } from '../../pagination.js';

export const usersQuery = z.object(pageQuery).strict();
export const userParams = z.object({ id: z.uuid() }).strict();
export const queueCounts = z
  .object({
    waiting: z.number().int(),
    active: z.number().int(),
    delayed: z.number().int(),
    failed: z.number().int(),
    completed: z.number().int(),
  })
  .openapi('QueueCounts');
export const queuesOutput = z.record(z.string(), queueCounts).openapi('Queues');
export const backupJobOutput = z.object({ jobId: z.string() }).openapi('BackupJob');
