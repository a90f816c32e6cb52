import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from '@jest/globals';

import { ConfigError } from './env.schema.js';
import { resolveSecrets } from './secrets.js';

const strong = 'Zp4Lm8Qw2Er6Ty0Ui3Op7As1Df5Gh9Jk2Lz6Xc0Vb';
const strong2 = 'k3Jq9vXw2LmP8rTz5YbN1cHs7DfG4aQe6uWi0oRt';

describe('resolveSecrets', () => {
  const dirs: string[] = [];
  const tmp = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'vcrm-secrets-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('in production, refuses missing, short and known-default secrets, naming them', () => {
    expect(() => resolveSecrets({}, true, tmp())).toThrow(
      /JWT_SECRET \(missing\)[\s\S]*ENCRYPTION_KEY \(missing\)/,
    );
    expect(() => resolveSecrets({ JWT_SECRET: 'short', ENCRYPTION_KEY: strong }, true, tmp())).toThrow(
      /JWT_SECRET: is shorter/,
    );
    expect(() =>
      resolveSecrets(
        { JWT_SECRET: strong, ENCRYPTION_KEY: 'changeme-changeme-changeme-changeme!' },
        true,
        tmp(),
      ),
    ).toThrow(/ENCRYPTION_KEY: looks like a known default/);
    expect(() => resolveSecrets({ JWT_SECRET: 'a'.repeat(64), ENCRYPTION_KEY: strong }, true, tmp())).toThrow(
      ConfigError,
    );
    expect(resolveSecrets({ JWT_SECRET: strong, ENCRYPTION_KEY: strong2 }, true, tmp())).toEqual({
      jwtSecret: strong,
      encryptionKey: strong2,
    });
  });

  it('elsewhere, generates missing secrets once and keeps them under DATA_DIR (mode 0600)', () => {
    const dir = tmp();
    const first = resolveSecrets({}, false, dir);
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(first.encryptionKey).not.toBe(first.jwtSecret);
    expect(resolveSecrets({}, false, dir)).toEqual(first);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8'))).toEqual({
      JWT_SECRET: first.jwtSecret,
      ENCRYPTION_KEY: first.encryptionKey,
    });
    expect(resolveSecrets({ JWT_SECRET: strong }, false, dir)).toEqual({
      jwtSecret: strong,
      encryptionKey: first.encryptionKey,
    });
  });
});
