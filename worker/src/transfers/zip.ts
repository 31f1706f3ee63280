import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { ImportError } from './report.js';

/** Bounds an uploaded zip whatever its compressed size says (a zip bomb fails before it is read). */
export const ZIP_LIMITS = { entries: 100_000, totalBytes: 4 * 1024 ** 3, jsonBytes: 256 * 1024 ** 2 };

/** Whether the file starts like a zip archive, so an import can take either a zip or a bare JSON file. */
export async function isZip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    return bytesRead === 4 && buffer.readUInt32LE(0) === 0x04034b50;
  } finally {
    await handle.close();
  }
}

/** The entries of an uploaded zip, opened one at a time by name. */
export type ZipIndex = {
  names: string[];
  open(name: string): Promise<Readable | undefined>;
  /** A whole entry as text, refused over `max` bytes. */
  text(name: string, max?: number): Promise<string | undefined>;
  close(): void;
};

/**
 * Indexes a zip without reading its contents. yauzl refuses absolute paths and `..` in entry names and checks each
 * entry's declared size while it is read, so neither a path trick nor a lying header gets through.
 */
export async function readZip(path: string): Promise<ZipIndex> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, strictFileNames: false });
  } catch (error) {
    throw new ImportError(`The file is not a readable zip archive (${(error as Error).message}).`);
  }
  const entries = new Map<string, yauzl.Entry>();
  let total = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      total += entry.uncompressedSize;
      if (entries.size >= ZIP_LIMITS.entries || total > ZIP_LIMITS.totalBytes) {
        throw new ImportError(
          'The zip archive holds more than an import takes (too many or too large files).',
        );
      }
      entries.set(entry.fileName, entry);
    }
  } catch (error) {
    zip.close();
    if (error instanceof ImportError) throw error;
    throw new ImportError(`The zip archive is damaged (${(error as Error).message}).`);
  }
  const openEntry = async (name: string) => {
    const entry = entries.get(name);
    return entry ? zip.openReadStreamPromise(entry) : undefined;
  };
  return {
    names: [...entries.keys()],
    open: openEntry,
    async text(name, max = ZIP_LIMITS.jsonBytes) {
      const entry = entries.get(name);
      if (!entry) return undefined;
      if (entry.uncompressedSize > max) throw new ImportError(`${name} is larger than an import takes.`);
      const chunks: Buffer[] = [];
      for await (const chunk of (await openEntry(name))!) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    close: () => zip.close(),
  };
}

/** What goes in an export's zip: small documents as buffers, attachments as streams opened one at a time. */
export type ZipContent = {
  buffers: { name: string; data: Buffer }[];
  streams: { name: string; open: () => Promise<Readable> }[];
};

/**
 * Writes the zip to `path`. Each stream is opened only when yazl reaches it (addReadStreamLazy), so a workspace
 * with thousands of attachments holds one storage read open at a time; `onEntry` counts them for progress.
 */
export async function writeZip(path: string, content: ZipContent, onEntry: () => void): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const { name, data } of content.buffers) zip.addBuffer(data, name);
  for (const { name, open: openStream } of content.streams) {
    zip.addReadStreamLazy(name, (callback) => {
      openStream().then(
        (stream) => {
          stream.once('end', onEntry);
          callback(null, stream);
        },
        (error: unknown) => callback(error, undefined as never),
      );
    });
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path, { mode: 0o600 }));
}
