import type { BackupRecord } from '@taskstack/db/repositories';
import { z } from 'zod';
import '../openapi/registry.js';

export const backupOutput = z
  .object({
    id: z.uuid(),
    file: z.string(),
    size: z.number().nullable(),
    sha256: z.string().nullable(),
    status: z.enum(['running', 'succeeded', 'failed']),
    location: z.string(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    verifiedAt: z.string().nullable(),
    verificationStatus: z.string().nullable(),
    error: z.string().nullable(),
  })
  .openapi('Backup');

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

/** A backup record as the worker wrote it, for the admin page (the manifest stays internal). */
export function presentBackup(backup: BackupRecord): z.infer<typeof backupOutput> {
  return {
    id: backup.id,
    file: backup.file,
    size: backup.size ?? null,
    sha256: backup.sha256 ?? null,
    status: backup.status,
    location: backup.location,
    startedAt: backup.startedAt.toISOString(),
    finishedAt: iso(backup.finishedAt),
    verifiedAt: iso(backup.verifiedAt),
    verificationStatus: backup.verificationStatus ?? null,
    error: backup.error ?? null,
  };
}
