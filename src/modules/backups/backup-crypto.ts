import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  type DecipherGCM,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

import { BackupIntegrityError } from './backups.errors.js';

/**
 * Backups encrypted at rest with AES-256-GCM, as a stream (no whole file in memory):
 *   MAGIC (8) | salt (16) | iv (12) | key check (16) | ciphertext … | GCM tag (16)
 * Each file has its own key, derived from BACKUP_ENCRYPTION_KEY and the file's salt (HKDF-SHA256), so an iv
 * is never reused under one key. The key check tells a wrong key apart from a damaged file at once; the GCM
 * tag at the end proves the whole file is exactly what was written.
 */
export const ENCRYPTED_MAGIC = Buffer.from('VCRMENC1');
const SALT = 16;
const IV = 12;
const CHECK = 16;
const TAG = 16;
const HEADER = ENCRYPTED_MAGIC.length + SALT + IV + CHECK;

function fileKey(secret: string, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, salt, 'venture-crm backup v1', 32));
}

function keyCheck(key: Buffer): Buffer {
  return createHmac('sha256', key).update('venture-crm backup key check').digest().subarray(0, CHECK);
}

export function isEncrypted(head: Buffer): boolean {
  return head.subarray(0, ENCRYPTED_MAGIC.length).equals(ENCRYPTED_MAGIC);
}

/** Encrypts what passes through: the header first, the tag after the last byte. */
export function encryptStream(secret: string): Transform {
  const salt = randomBytes(SALT);
  const iv = randomBytes(IV);
  const key = fileKey(secret, salt);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  let headerSent = false;
  const header = (): Buffer => {
    headerSent = true;
    return Buffer.concat([ENCRYPTED_MAGIC, salt, iv, keyCheck(key)]);
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      const out = cipher.update(chunk);
      done(null, headerSent ? out : Buffer.concat([header(), out]));
    },
    flush(done: TransformCallback) {
      const last = cipher.final();
      done(null, Buffer.concat([headerSent ? Buffer.alloc(0) : header(), last, cipher.getAuthTag()]));
    },
  });
}

/**
 * Decrypts what passes through. Plaintext flows before the tag is checked (at the end): a consumer must not
 * commit anything until this stream has finished without error.
 */
export function decryptStream(secret: string | undefined): Transform {
  let pending: Buffer = Buffer.alloc(0);
  let decipher: DecipherGCM | undefined;
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      try {
        if (!decipher) {
          if (pending.length < HEADER) return done();
          decipher = openHeader(pending, secret);
          pending = pending.subarray(HEADER);
        }
        // The last TAG bytes seen so far may be the tag: keep them back until the end.
        if (pending.length <= TAG) return done();
        const body = pending.subarray(0, pending.length - TAG);
        pending = pending.subarray(pending.length - TAG);
        done(null, decipher.update(body));
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done: TransformCallback) {
      if (!decipher || pending.length < TAG) {
        return done(new BackupIntegrityError('the encrypted file is truncated'));
      }
      try {
        decipher.setAuthTag(pending);
        done(null, decipher.final());
      } catch {
        done(
          new BackupIntegrityError(
            'the encrypted file has been altered or truncated (authentication failed)',
          ),
        );
      }
    },
  });
}

/** The first plaintext bytes of an encrypted file's start (not authenticated: only to tell what kind of file it is). */
export function decryptHead(head: Buffer, secret: string | undefined): Buffer {
  if (head.length <= HEADER) throw new BackupIntegrityError('the encrypted file is truncated');
  return openHeader(head, secret).update(head.subarray(HEADER));
}

function openHeader(head: Buffer, secret: string | undefined): DecipherGCM {
  if (!isEncrypted(head)) throw new BackupIntegrityError('not an encrypted venture-crm backup');
  if (!secret) {
    throw new BackupIntegrityError(
      'this backup is encrypted: set BACKUP_ENCRYPTION_KEY to the key it was made with',
    );
  }
  let at = ENCRYPTED_MAGIC.length;
  const salt = head.subarray(at, (at += SALT));
  const iv = head.subarray(at, (at += IV));
  const check = head.subarray(at, (at += CHECK));
  const key = fileKey(secret, salt);
  if (!timingSafeEqual(check, keyCheck(key))) {
    throw new BackupIntegrityError('wrong BACKUP_ENCRYPTION_KEY: this backup was encrypted with another key');
  }
  return createDecipheriv('aes-256-gcm', key, iv);
}
