import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ConfigError } from './env.schema.js';

export const MIN_SECRET_LENGTH = 32;

/** Values seen in examples and tutorials: never accepted as a production secret. */
const KNOWN_DEFAULTS = [
  'changeme',
  'change-me',
  'change_me',
  'secret',
  'password',
  'jwt_secret',
  'jwtsecret',
  'your-secret',
  'your_secret',
  'supersecret',
  'replace-me',
  'default',
];

export interface Secrets {
  jwtSecret: string;
  encryptionKey: string;
}

type SecretName = 'JWT_SECRET' | 'ENCRYPTION_KEY';

function weakness(value: string): string | undefined {
  if (value.length < MIN_SECRET_LENGTH) return `is shorter than ${MIN_SECRET_LENGTH} characters`;
  const lower = value.toLowerCase();
  if (KNOWN_DEFAULTS.some((d) => lower.includes(d))) return 'looks like a known default or example value';
  if (new Set(value).size < 8) return 'has too few distinct characters to be random';
  return undefined;
}

/**
 * JWT_SECRET and ENCRYPTION_KEY. In production both must be set and strong. Elsewhere, a missing one is
 * generated once and kept in DATA_DIR/secrets.json (mode 0600), so restarts keep sessions valid and
 * encrypted 2FA secrets readable.
 */
export function resolveSecrets(
  env: Partial<Record<SecretName, string>>,
  production: boolean,
  dataDir: string,
): Secrets {
  const names: SecretName[] = ['JWT_SECRET', 'ENCRYPTION_KEY'];
  if (production) {
    const problems = names.flatMap((name) => {
      const value = env[name];
      if (!value)
        return [
          `  ${name} (missing): required when NODE_ENV=production (generate one with: openssl rand -base64 48)`,
        ];
      const weak = weakness(value);
      return weak ? [`  ${name}: ${weak}`] : [];
    });
    if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
    return { jwtSecret: env.JWT_SECRET!, encryptionKey: env.ENCRYPTION_KEY! };
  }
  for (const name of names) {
    const value = env[name];
    const weak = value ? weakness(value) : undefined;
    if (weak) throw new ConfigError(`Invalid configuration:\n  ${name}: ${weak}`);
  }
  if (env.JWT_SECRET && env.ENCRYPTION_KEY)
    return { jwtSecret: env.JWT_SECRET, encryptionKey: env.ENCRYPTION_KEY };

  const file = join(dataDir, 'secrets.json');
  const stored = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<SecretName, string>>)
    : {};
  let changed = false;
  for (const name of names) {
    if (!stored[name]) {
      stored[name] = randomBytes(48).toString('base64url');
      changed = true;
    }
  }
  if (changed) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
  }
  return {
    jwtSecret: env.JWT_SECRET ?? stored.JWT_SECRET!,
    encryptionKey: env.ENCRYPTION_KEY ?? stored.ENCRYPTION_KEY!,
  };
}
