import busboy from 'busboy';
import type { Request } from 'express';
import { PassThrough } from 'node:stream';
import { badRequest, payloadTooLarge } from '../../errors.js';

import type { IncomingFile } from '../../commands/attachments.js';

/**
 * Characters that change how a name reads rather than what it says: C0 and C1 controls, and the bidirectional
 * overrides, embeddings, isolates and marks that make `exe.txt` of `txt.exe` in a file list; lone surrogates too.
 */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\p{Cs}/gu;

/** A name safe to store and echo in Content-Disposition: no path, no control characters, bounded length. */
export function cleanFilename(raw: string | undefined): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(INVISIBLE, '').trim();
  return Array.from(cleaned).slice(0, 255).join('') || 'file';
}

const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i;

/**
 * Reads the multipart field `file` from the request and hands it to `handle` as a stream with its metadata as it
 * arrives. Over `maxBytes` the stream fails (so a storage driver discards what it wrote) and the result is a 413;
 * the rest of the request is drained first so the client reads the answer instead of a reset connection.
 */
export function receiveFile<T>(
  req: Request,
  maxBytes: number,
  handle: (file: IncomingFile) => Promise<T>,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      // busboy reports reaching its limit, not passing it: one byte more tells "exactly max" from "over".
      // Browsers send the name as raw UTF-8 bytes in `filename="…"`; busboy would read them as latin1 (mojibake).
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { files: 1, fileSize: maxBytes + 1, fields: 10, parts: 20 },
      });
    } catch {
      return reject(badRequest('Send the file as multipart/form-data in a field named "file".'));
    }
    let stored: Promise<T> | undefined;
    let tooLarge = false;
    const tooLargeError = () => payloadTooLarge(`Files are limited to ${maxBytes} bytes.`);
    parser.on('file', (field, stream, info) => {
      if (field !== 'file' || stored) return stream.resume();
      const body = new PassThrough();
      // The driver may not be listening yet when the limit fails the body; it sees the error when it starts.
      body.on('error', () => {});
      let size = 0;
      stream.on('data', (chunk: Buffer) => (size += chunk.length));
      stream.on('limit', () => {
        tooLarge = true;
        stream.unpipe(body);
        stream.resume();
        body.destroy(tooLargeError());
      });
      stream.pipe(body);
      const contentType = MIME.test(info.mimeType) ? info.mimeType.toLowerCase() : 'application/octet-stream';
      const file = { body, filename: cleanFilename(info.filename), contentType, size: () => size };
      stored = handle(file).catch((error: unknown) => {
        // Keep draining so the parser reaches the end of the request.
        stream.resume();
        throw error;
      });
      stored.catch(() => {});
    });
    parser.on('error', () => reject(badRequest('The multipart body is malformed.')));
    parser.on('close', () => {
      if (!stored) return reject(badRequest('Send the file as multipart/form-data in a field named "file".'));
      stored.then(resolve, (error: unknown) => reject(tooLarge ? tooLargeError() : error));
    });
    req.pipe(parser);
  });
}
