import { readFile, stat } from 'node:fs/promises';
import { describeIssues, exportDocument } from '../document.js';
import { ImportError } from '../report.js';
import { isZip, readZip, ZIP_LIMITS } from '../zip.js';
import { noFiles, type ImportInput, type ImportSource } from './shared.js';

/** The document inside our export's zip. */
export const DOCUMENT_NAME = 'workspace.json';

/** Parses JSON text, failing the import with a readable reason rather than a stack trace. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ImportError(`${what} is not valid JSON (${(error as Error).message}).`);
  }
}

/** Reads a whole JSON upload, bounded like a zip's JSON entry. */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  if ((await stat(path)).size > ZIP_LIMITS.jsonBytes)
    throw new ImportError(`${what} is larger than an import takes.`);
  return parseJson(await readFile(path, 'utf8'), what);
}

/** taskstack's own export: the zip (document and attachments) or its workspace.json alone (no attachments). */
export async function taskstackSource(input: ImportInput): Promise<ImportSource> {
  if (!(await isZip(input.path))) {
    const document = exportDocument.safeParse(await readJsonFile(input.path, 'The file'));
    if (!document.success) throw new ImportError(`Not a taskstack export: ${describeIssues(document.error)}`);
    return { document: document.data, openFile: noFiles, close: () => {} };
  }
  const zip = await readZip(input.path);
  try {
    const text = await zip.text(DOCUMENT_NAME);
    if (text === undefined) throw new ImportError(`Not a taskstack export: the zip has no ${DOCUMENT_NAME}.`);
    const document = exportDocument.safeParse(parseJson(text, DOCUMENT_NAME));
    if (!document.success) {
      throw new ImportError(`Not a taskstack export: ${describeIssues(document.error)}`);
    }
    return { document: document.data, openFile: (path) => zip.open(path), close: () => zip.close() };
  } catch (error) {
    zip.close();
    throw error;
  }
}
