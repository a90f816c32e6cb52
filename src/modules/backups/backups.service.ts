import { createReadStream, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';

import { Injectable, Logger } from '@nestjs/common';

import {
  listResponse,
  type ListResponse,
  type PagingQueryDto,
  totalOf,
} from '../../common/dto/paging.dto.js';
import { AppConfig } from '../../config/app-config.js';
import { AuditService } from '../audit/audit.service.js';
import { JobName, JobRunStatus, type JobTrigger } from '../jobs/job-run.entity.js';
import { type JobResult, JobRunner } from '../jobs/job-runner.service.js';
import {
  assertBackupName,
  type BackupManifest,
  listBackups,
  readSidecar,
  removeBackup,
  sidecarPath,
} from './backup-files.js';
import { type BackupProgress, BackupMaker } from './backup-maker.js';
import { expiredBackups } from './backup-retention.js';
import { BackupFailedError, BackupNotFoundError, JobRunningError } from './backups.errors.js';
import { BackupDto } from './dto/backup.dto.js';

export interface BackupDownload {
  stream: ReadStream;
  size: number;
  sha256: string | null;
}

/** Backups for the API, the CLI and the scheduler: list, run now (under the job's lock), download. */
@Injectable()
export class BackupsService {
  private readonly logger = new Logger('Backups');

  constructor(
    private readonly config: AppConfig,
    private readonly runner: JobRunner,
    private readonly maker: BackupMaker,
    private readonly audit: AuditService,
  ) {}

  async list(paging: PagingQueryDto): Promise<ListResponse<BackupDto>> {
    const all = await listBackups(this.config.backups.dir);
    const page = all.slice(paging.offset, paging.offset + paging.limit).map(BackupDto.from);
    return listResponse(page, totalOf(all.length, paging.count), paging);
  }

  /** Makes a backup now, as the backup job does (same lock, same record); 409 while one is running. */
  async runNow(trigger: JobTrigger, onProgress?: (p: BackupProgress) => void): Promise<BackupDto> {
    const outcome = await this.runner.run(JobName.Backup, () => this.job(onProgress), { trigger });
    if (!outcome.ran) throw new JobRunningError('backup');
    if (outcome.status === JobRunStatus.Failed) {
      throw new BackupFailedError(String(outcome.details.error), outcome.runId);
    }
    return BackupDto.from(outcome.value!);
  }

  /** The backup job: a verified backup, then retention (older files go only once a newer one is verified). */
  async job(onProgress?: (p: BackupProgress) => void): Promise<JobResult<BackupManifest>> {
    const backup = await this.maker.make(onProgress);
    const deleted = await this.applyRetention();
    const details = {
      name: backup.name,
      method: backup.method,
      size: backup.size,
      sha256: backup.sha256,
      encrypted: backup.encrypted,
      verification: backup.verification,
      ...(backup.note && { note: backup.note }),
      ...(deleted.length > 0 && { deleted }),
    };
    await this.audit.record({ action: 'backup.create', entityType: 'backup', meta: details });
    return { status: JobRunStatus.Success, details, value: backup };
  }

  /** A backup file to stream to an admin; the download is audited. */
  async download(name: string): Promise<BackupDownload> {
    assertBackupName(name);
    const path = join(this.config.backups.dir, name);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) throw new BackupNotFoundError(name);
    const manifest = await readSidecar(sidecarPath(this.config.backups.dir, name));
    await this.audit.record({
      action: 'backup.download',
      entityType: 'backup',
      meta: { name, size: info.size },
    });
    return { stream: createReadStream(path), size: info.size, sha256: manifest?.sha256 || null };
  }

  private async applyRetention(): Promise<string[]> {
    const dir = this.config.backups.dir;
    const expired = expiredBackups(await listBackups(dir), new Date(), this.config.backups.retentionDays);
    for (const name of expired) await removeBackup(dir, name);
    if (expired.length > 0)
      this.logger.log(`Retention removed ${expired.length} backup(s): ${expired.join(', ')}`);
    return expired;
  }
}
