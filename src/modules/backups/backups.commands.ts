import { MikroORM } from '@mikro-orm/postgresql';
import { Command, CommandRunner, InquirerService, Option, Question, QuestionSet } from 'nest-commander';

import { inCliContext } from '../../cli/cli-context.js';
import { fail, out } from '../../cli/cli-output.js';
import { progressBar } from '../../cli/cli-progress.js';
import { AppError } from '../../common/errors/index.js';
import { JobTrigger } from '../jobs/job-run.entity.js';
import { BackupsService } from './backups.service.js';
import { type RestorePlan, RestoreService } from './restore.service.js';

const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const reason = (err: unknown): string => (err instanceof AppError ? err.message : (err as Error).message);

@Command({
  name: 'backup',
  description: 'Make a verified backup now, into BACKUP_DIR (as the daily job does: same lock, same record)',
})
export class BackupCommand extends CommandRunner {
  constructor(
    private readonly orm: MikroORM,
    private readonly backups: BackupsService,
  ) {
    super();
  }

  async run(): Promise<void> {
    const bars = { backup: progressBar('Backing up', 'items'), verify: progressBar('Verifying', 'bytes') };
    try {
      const backup = await inCliContext(this.orm, () =>
        this.backups.runNow(JobTrigger.Cli, (p) => {
          if (p.step === 'verify') bars.backup.stop();
          bars[p.step].update(p.done, p.total, p.detail);
        }),
      );
      bars.backup.stop();
      bars.verify.stop();
      out(
        `Backup ${backup.name} (${backup.method}, ${megabytes(backup.size)}${backup.encrypted ? ', encrypted' : ''})`,
      );
      out(`  verified; SHA-256 ${backup.sha256}`);
      if (backup.note) out(`  note: ${backup.note}`);
    } catch (err) {
      bars.backup.stop();
      bars.verify.stop();
      fail(reason(err));
    }
  }
}

interface RestoreOptions {
  yes?: boolean;
  sha256?: string;
}

@QuestionSet({ name: 'confirm-restore' })
export class ConfirmRestoreQuestions {
  @Question({
    type: 'confirm',
    name: 'replace',
    message: 'Replace the whole database with this backup?',
    default: false,
  })
  parseReplace(value: boolean): boolean {
    return value;
  }
}

@Command({
  name: 'restore',
  arguments: '<file>',
  description:
    'Replace the database with a backup (a path, or a name in BACKUP_DIR): checked first, then restored in one transaction',
})
export class RestoreCommand extends CommandRunner {
  constructor(
    private readonly orm: MikroORM,
    private readonly restore: RestoreService,
    private readonly inquirer: InquirerService,
  ) {
    super();
  }

  async run([file]: string[], options: RestoreOptions): Promise<void> {
    let plan: RestorePlan | undefined;
    try {
      // The restore works on connections of its own; the ORM's idle pool would only count as a session in the way.
      await this.orm.close(true);
      out(`Checking ${file} …`);
      plan = await this.restore.prepare(file, { sha256: options.sha256 });
      this.describe(plan);
      if (!(await this.confirmed(plan, options))) return;
      const bar = progressBar('Restoring', plan.method === 'portable' ? 'bytes' : 'items');
      const started = Date.now();
      const result = await inCliContext(this.orm, () =>
        this.restore.apply(plan!, (p) => bar.update(p.done, p.total, p.detail)),
      ).finally(() => bar.stop());
      const loaded =
        result.rows === undefined
          ? ''
          : `: ${result.tables} tables, ${result.rows.toLocaleString('en-US')} rows`;
      out(
        `Restored ${plan.database} from ${file}${loaded} in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
      );
      if (result.migrationsApplied.length > 0) {
        out(
          `Then applied ${result.migrationsApplied.length} newer migration(s): ${result.migrationsApplied.join(', ')}.`,
        );
      }
      out('Start the app again (npm start); everyone signs in as before the backup.');
    } catch (err) {
      fail(`${reason(err)}\nNothing was changed.`);
    } finally {
      await plan?.dispose();
    }
  }

  private describe(plan: RestorePlan): void {
    const made = plan.manifest
      ? ` made ${plan.manifest.createdAt} by venture-crm ${plan.manifest.appVersion} (${plan.manifest.migration ?? 'no migrations'})`
      : '';
    out(`Backup OK: ${plan.method}, ${megabytes(plan.size)}${plan.encrypted ? ', encrypted' : ''},${made}`);
    out(
      `  SHA-256 ${plan.sha256} matches; ${plan.encrypted ? 'decrypted and authenticated; ' : ''}content read completely.`,
    );
    out(`Restoring replaces everything in database "${plan.database}".`);
    if (plan.otherSessions > 0) {
      out(
        `Warning: ${plan.otherSessions} other connection(s) to "${plan.database}" are open — stop the app (every instance) first.`,
      );
    }
  }

  private async confirmed(plan: RestorePlan, options: RestoreOptions): Promise<boolean> {
    if (options.yes) return true;
    if (!process.stdin.isTTY || !process.stdout.isTTY) {
      fail('not restoring: pass --yes to confirm without a terminal');
      return false;
    }
    const { replace } = await this.inquirer.ask<{ replace: boolean }>('confirm-restore', undefined);
    if (!replace) out(`Not restored: "${plan.database}" is unchanged.`);
    return replace;
  }

  @Option({ flags: '-y, --yes', description: 'Do not ask before replacing the database' })
  parseYes(): boolean {
    return true;
  }

  @Option({
    flags: '--sha256 <hex>',
    description:
      'The expected SHA-256 when the file has no .json sidecar (e.g. the X-Backup-SHA256 of a download)',
  })
  parseSha256(value: string): string {
    if (!/^[0-9a-f]{64}$/i.test(value)) throw new Error('--sha256 takes 64 hexadecimal digits');
    return value;
  }
}

export const BACKUP_COMMANDS = [BackupCommand, RestoreCommand, ConfirmRestoreQuestions];
