import type { TransferRecord } from '@taskstack/db/repositories';
import { TRANSFER_SOURCES } from '@taskstack/queues';
import { z } from 'zod';
import '../openapi/registry.js';

export const transferOutput = z
  .object({
    id: z.uuid(),
    kind: z.enum(['export', 'import']).openapi('TransferKind'),
    source: z
      .enum(TRANSFER_SOURCES)
      .nullable()
      .openapi({ description: 'Imports: where the file comes from' }),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']).openapi('TransferStatus'),
    /** 0–100, with what the worker is doing now. */
    progress: z.number().int(),
    phase: z.string(),
    fileName: z.string().nullable(),
    fileSize: z.number().int().nullable(),
    /** Exports: whether the zip can be downloaded now (it is deleted at `expiresAt`). */
    downloadable: z.boolean(),
    report: z
      .object({
        created: z.record(z.string(), z.number().int()),
        skipped: z.array(
          z.object({
            what: z.string(),
            reason: z.string(),
            count: z.number().int(),
            examples: z.array(z.string()),
          }),
        ),
        unknownPeople: z.array(z.string()),
      })
      .nullable()
      .openapi('TransferReport'),
    error: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
  })
  .openapi('Transfer');

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentTransfer(t: TransferRecord, now = new Date()): z.infer<typeof transferOutput> {
  return {
    id: t.id,
    kind: t.kind,
    source: t.source,
    status: t.status,
    progress: t.progress,
    phase: t.phase,
    fileName: t.fileName,
    fileSize: t.fileSize,
    downloadable:
      t.kind === 'export' && t.status === 'succeeded' && !!t.fileKey && !!t.expiresAt && t.expiresAt > now,
    report: t.report,
    error: t.error,
    createdAt: t.createdAt.toISOString(),
    startedAt: iso(t.startedAt),
    finishedAt: iso(t.finishedAt),
    expiresAt: iso(t.expiresAt),
  };
}
