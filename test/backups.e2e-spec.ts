import { copyFile, readFile, truncate } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { BackupMaker } from '../src/modules/backups/backup-maker.js';
import type { BackupManifest } from '../src/modules/backups/backup-files.js';
import { RestoreService } from '../src/modules/backups/restore.service.js';
import {
  AWKWARD_TEXT,
  flipByte,
  seedEverything,
  sha256Of,
  snapshot,
  sql,
  withoutRestoreAudit,
} from './helpers/backups.js';
import { runCli } from './helpers/processes.js';
import { createTestApp, createTestDatabase, type TestApp } from './helpers/test-app.js';

const KEY = 'kT3v9QxW2mLp8RzY5bN1cHs7DfG4aJe6uWi0oPq';
const OTHER_KEY = 'Zp4Lm8Qw2Er6Ty0Ui3Op7As1Df5Gh9Jk2Lz6Xc0';
const SLOW = 120_000;

describe('backup and restore', () => {
  const apps: TestApp[] = [];
  let source: TestApp;
  let before: Record<string, string[]>;

  /** Another app on the source database, with its own settings (and its own BACKUP_DIR). */
  async function appWith(env: Record<string, string>): Promise<TestApp> {
    const app = await createTestApp({ DATABASE_URL: source.databaseUrl, ...env });
    apps.push(app);
    return app;
  }

  async function backupWith(app: TestApp): Promise<{ manifest: BackupManifest; path: string }> {
    const manifest = await app.app.get(BackupMaker).make();
    return { manifest, path: join(app.config.backups.dir, manifest.name) };
  }

  /** Restores `path` with `app`'s settings into `target`: the whole check, then the whole restore. */
  async function restore(app: TestApp, path: string, target: string, sha256?: string): Promise<void> {
    const service = app.app.get(RestoreService);
    const plan = await service.prepare(path, { databaseUrl: target, sha256 });
    try {
      await service.apply(plan);
    } finally {
      await plan.dispose();
    }
  }

  async function expectRestoredCopy(target: string): Promise<void> {
    const after = await snapshot(target);
    expect(withoutRestoreAudit(after)).toEqual(before);
    expect(after['public.audit_log'].filter((r) => r.includes(',backup.restore,'))).toHaveLength(1);
  }

  beforeAll(async () => {
    source = await createTestApp({ BACKUP_METHOD: 'pg_dump' });
    apps.push(source);
    await seedEverything(source);
    before = await snapshot(source.databaseUrl);
  }, SLOW);

  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
  });

  it('the fixture has rows in every table, awkward text and audit rows', () => {
    const empty = Object.entries(before)
      .filter(([, rows]) => rows.length === 0)
      .map(([table]) => table);
    expect(empty).toEqual([]);
    expect(before['public.audit_log'].length).toBeGreaterThan(40);
    expect(before['public.custom_field_definitions']).toHaveLength(2);
  });

  it.each(['pg_dump', 'portable'] as const)(
    '%s: restores into a fresh database exactly — table by table, row by row — and the app runs on it',
    async (method) => {
      const app = method === 'pg_dump' ? source : await appWith({ BACKUP_METHOD: 'portable' });
      const { manifest, path } = await backupWith(app);
      expect(manifest).toMatchObject({ method, verified: true, encrypted: false, note: null });
      expect(manifest.sha256).toBe(await sha256Of(path));
      expect(await snapshot(source.databaseUrl)).toEqual(before);

      const target = await createTestDatabase({ empty: true });
      await restore(app, path, target);
      await expectRestoredCopy(target);

      const restored = await createTestApp({ DATABASE_URL: target });
      apps.push(restored);
      const signIn = await restored.http
        .post('/api/auth/login')
        .send({ username: 'admin', password: 'admin123' })
        .expect(200);
      const contacts = await restored.http
        .get('/api/contacts?limit=200')
        .set('Authorization', `Bearer ${signIn.body.token}`)
        .expect(200);
      expect(contacts.body.total).toBe(13); // the demo set's 12 and the imported one
      expect(contacts.body.data.some((c: { notes: string | null }) => c.notes === AWKWARD_TEXT)).toBe(true);
      // The audit log is append-only again after the restore.
      await expect(sql(target, 'delete from audit_log')).rejects.toThrow(/append-only/);
    },
    SLOW,
  );

  it(
    'replaces a database in use, whatever it held (pg_dump)',
    async () => {
      const target = await createTestDatabase();
      const other = await createTestApp({ DATABASE_URL: target });
      apps.push(other);
      await seedEverything(other);
      await sql(target, `create table stray (id int)`);
      const { path } = await backupWith(source);
      await restore(source, path, target);
      await expectRestoredCopy(target);
    },
    SLOW,
  );

  describe('refuses a damaged file and leaves the target as it was', () => {
    let target: string;
    let untouched: Record<string, string[]>;

    beforeAll(async () => {
      target = await createTestDatabase();
      await sql(target, `insert into tags (name, color) values ('Keep me', '#123456')`);
      untouched = await snapshot(target);
    });

    it.each(['pg_dump', 'portable'] as const)(
      '%s: a changed byte fails the checksum',
      async (method) => {
        const app = method === 'pg_dump' ? source : await appWith({ BACKUP_METHOD: 'portable' });
        const { path } = await backupWith(app);
        await flipByte(path, 0.5);
        await expect(restore(app, path, target)).rejects.toThrow(/SHA-256 checksum does not match/);
        expect(await snapshot(target)).toEqual(untouched);
      },
      SLOW,
    );

    it.each(['pg_dump', 'portable'] as const)(
      '%s: a truncated file is refused even with a checksum that matches it',
      async (method) => {
        const app = method === 'pg_dump' ? source : await appWith({ BACKUP_METHOD: 'portable' });
        const { path, manifest } = await backupWith(app);
        await truncate(path, Math.floor(manifest.size * 0.8));
        await expect(restore(app, path, target, await sha256Of(path))).rejects.toThrow();
        expect(await snapshot(target)).toEqual(untouched);
      },
      SLOW,
    );

    it(
      'portable: a file that changes after its check is rolled back at the end, whole',
      async () => {
        const app = await appWith({ BACKUP_METHOD: 'portable' });
        const { path } = await backupWith(app);
        const service = app.app.get(RestoreService);
        const plan = await service.prepare(path, { databaseUrl: target });
        await copyFile(path, `${path}.orig`);
        // Near the end: every table has been loaded when the checksum no longer matches.
        await flipByte(path, 0.999);
        await expect(service.apply(plan)).rejects.toThrow();
        expect(await snapshot(target)).toEqual(untouched);
      },
      SLOW,
    );

    it(
      'without a checksum to compare with, nothing is restored',
      async () => {
        const { path } = await backupWith(source);
        const copy = `${path.replace(/\.dump$/, '')}-copy.dump`;
        await copyFile(path, copy);
        await expect(restore(source, copy, target)).rejects.toThrow(/no checksum to check it against/);
        expect(await snapshot(target)).toEqual(untouched);
      },
      SLOW,
    );
  });

  describe('encrypted at rest', () => {
    it.each(['pg_dump', 'portable'] as const)(
      '%s: AES-256-GCM round trip; the wrong key, no key or an altered file are refused',
      async (method) => {
        const app = await appWith({ BACKUP_METHOD: method, BACKUP_ENCRYPTION_KEY: KEY });
        const { manifest, path } = await backupWith(app);
        expect(manifest).toMatchObject({ method, encrypted: true, verified: true });
        expect(manifest.name).toMatch(/\.enc$/);
        const bytes = await readFile(path);
        expect(bytes.subarray(0, 8).toString()).toBe('VCRMENC1');
        expect(bytes.includes(Buffer.from('Sovereign Wealth Holdings'))).toBe(false);

        const target = await createTestDatabase({ empty: true });
        await expect(
          restore(await appWith({ BACKUP_ENCRYPTION_KEY: OTHER_KEY }), path, target),
        ).rejects.toThrow(/wrong BACKUP_ENCRYPTION_KEY/);
        await expect(restore(source, path, target)).rejects.toThrow(
          /this backup is encrypted: set BACKUP_ENCRYPTION_KEY/,
        );

        await restore(app, path, target);
        await expectRestoredCopy(target);

        const altered = `${path}.altered`;
        await copyFile(path, altered);
        await flipByte(altered, 0.6);
        const fresh = await createTestDatabase({ empty: true });
        await expect(restore(app, altered, fresh, await sha256Of(altered))).rejects.toThrow(
          /authentication failed/,
        );
        expect(Object.keys(await snapshot(fresh))).toEqual(['sequences']);
      },
      SLOW,
    );
  });

  it(
    'the CLI backs up, and restores only when told so',
    async () => {
      const env = { DATABASE_URL: source.databaseUrl, DATA_DIR: source.dataDir, BACKUP_METHOD: 'portable' };
      const backup = await runCli(['backup'], env);
      expect(backup.output).toMatch(
        /Backup venture-crm-\d{8}T\d{9}Z\.vcrm \(portable, .*MB\)\n\s+verified; SHA-256 [0-9a-f]{64}/,
      );
      expect(backup.code).toBe(0);
      const name = /Backup (\S+)/.exec(backup.output)![1];

      const target = await createTestDatabase({ empty: true });
      const asked = await runCli(['restore', name], { ...env, DATABASE_URL: target });
      expect(asked.output).toMatch(/Backup OK: portable[\s\S]*pass --yes to confirm without a terminal/);
      expect(asked.code).toBe(1);
      expect(Object.keys(await snapshot(target))).toEqual(['sequences']);

      const restored = await runCli(['restore', name, '--yes'], { ...env, DATABASE_URL: target });
      expect(restored.output).toMatch(/Restored vcrm_test_\w+ from venture-crm-\S+: \d+ tables, [\d,]+ rows/);
      expect(restored.code).toBe(0);
      // The backup holds its own run (still running when the tables were read): compare all else.
      const { 'public.job_runs': runs, ...rest } = withoutRestoreAudit(await snapshot(target));
      const { 'public.job_runs': runsBefore, ...restBefore } = before;
      expect(rest).toEqual(restBefore);
      // Rows are compared as text sorted by id (random): the new run may sort anywhere.
      expect(runs).toHaveLength(runsBefore.length + 1);
      expect(runs).toEqual(
        expect.arrayContaining([...runsBefore, expect.stringMatching(/,backup,.*,cli,.*,running,/)]),
      );
    },
    SLOW,
  );
});
