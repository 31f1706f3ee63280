import { readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';

/** What a backup promises: the file's checksum and what restoring it must give back. */
export const manifestSchema = z.object({
  file: z.string(),
  database: z.string(),
  format: z.literal('custom'),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number(),
  serverVersion: z.string(),
  pgDumpVersion: z.string(),
  tables: z.record(z.string(), z.number().int().nonnegative()),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** Writes via a `.tmp` and a rename, so a reader never sees half a manifest. */
export async function writeManifest(path: string, manifest: Manifest): Promise<void> {
  await writeFile(`${path}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
}

/** Reads and checks a manifest; a missing or malformed one is a one-line error naming the file. */
export async function readManifest(path: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new Error(
      `manifest ${path} not found: a backup is restored only with its manifest (checksum, row counts)`,
    );
  }
  const parsed = manifestSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`manifest ${path} is not a taskstack backup manifest`);
  return parsed.data;
}
