import type { IncomingMessage } from 'node:http';

import busboy from 'busboy';

import { AppError, ValidationError } from '../../common/errors/index.js';

/** Largest CSV file an upload takes (50k contacts with a dozen columns is about 10 MB). */
export const IMPORT_FILE_LIMIT = 50 * 1024 * 1024;
const MAX_FIELDS = 20;
const MAX_FIELD_SIZE = 256 * 1024;
const MULTIPART = /^multipart\/form-data\s*(;|$)/i;

export interface Upload {
  fields: Record<string, string>;
  fileName: string;
  text: string;
}

/**
 * A multipart form with one CSV file (`file`) and the import options as text fields, read in memory (no temp
 * file) within IMPORT_FILE_LIMIT. Only called from a route the guard has let through: nobody's upload is read
 * before they are known.
 */
export function readUpload(req: IncomingMessage, limit = IMPORT_FILE_LIMIT): Promise<Upload> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = Object.create(null) as Record<string, string>;
    const chunks: Buffer[] = [];
    let fileName: string | undefined;
    let failed = false;
    let parser: busboy.Busboy;
    const fail = (err: AppError): void => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      req.resume();
      reject(err);
    };
    if (!MULTIPART.test(req.headers['content-type'] ?? '')) {
      return reject(ValidationError.field('body', 'must be a multipart/form-data upload with a file field'));
    }
    try {
      parser = busboy({
        headers: req.headers,
        limits: {
          fileSize: limit,
          files: 1,
          fields: MAX_FIELDS,
          fieldSize: MAX_FIELD_SIZE,
          parts: MAX_FIELDS + 1,
        },
      });
    } catch {
      return reject(ValidationError.field('body', 'is not a valid multipart form'));
    }
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) return fail(ValidationError.field(name.slice(0, 40), 'is too long'));
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file') {
        stream.resume();
        return fail(
          ValidationError.field(name.slice(0, 40), 'is not a file field of this form (use "file")'),
        );
      }
      fileName = info.filename;
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () =>
        fail(new AppError(413, 'PAYLOAD_TOO_LARGE', `The file is larger than ${limit / 1024 / 1024} MB`)),
      );
    });
    parser.on('filesLimit', () => fail(ValidationError.field('file', 'send one file only')));
    parser.on('fieldsLimit', () => fail(ValidationError.field('body', `has more than ${MAX_FIELDS} fields`)));
    parser.on('partsLimit', () => fail(ValidationError.field('body', 'has too many parts')));
    parser.on('error', () => fail(ValidationError.field('body', 'is not a valid multipart form')));
    parser.on('close', () => {
      if (failed) return;
      if (fileName === undefined) return fail(ValidationError.field('file', 'is required: the CSV file'));
      const text = new TextDecoder('utf-8', { fatal: true });
      try {
        resolve({ fields, fileName, text: text.decode(Buffer.concat(chunks)) });
      } catch {
        fail(ValidationError.field('file', 'is not UTF-8 text (export the CSV as UTF-8)'));
      }
    });
    req.pipe(parser);
  });
}
