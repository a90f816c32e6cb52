import { createSecretKey, type KeyObject } from 'node:crypto';

const keys = new Map<string, KeyObject>();

/**
 * JWT_SECRET as a KeyObject. Given a plain string, jsonwebtoken first tries to parse it as a PEM public or
 * private key — an OpenSSL error on every sign and verify, which was the largest CPU cost of an
 * authenticated request. A KeyObject skips that.
 */
export function jwtKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}
