import { ApiProperty } from '@nestjs/swagger';

import { ListMetaDto } from '../../../common/dto/paging.dto.js';
import type { BackupManifest } from '../backup-files.js';

export class BackupDto {
  @ApiProperty({ example: 'venture-crm-20261207T013000123Z.dump' }) name!: string;
  @ApiProperty({ description: 'Bytes on disk', example: 48213377 }) size!: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({
    enum: ['pg_dump', 'portable'],
    description:
      'pg_dump (custom format) or the portable archive the app makes where no suitable pg_dump exists',
  })
  method!: 'pg_dump' | 'portable';
  @ApiProperty({ description: 'AES-256-GCM with BACKUP_ENCRYPTION_KEY' }) encrypted!: boolean;
  @ApiProperty({ description: 'Read back after writing: pg_restore --list, or the whole archive checked' })
  verified!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) verifiedAt!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'SHA-256 (hex) of the file as stored; null when its sidecar file is missing',
  })
  sha256!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The last migration of the database it was made from',
  })
  migration!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why the portable method ran although pg_dump was wanted, or what is unknown about the file',
  })
  note!: string | null;

  static from(this: void, b: BackupManifest): BackupDto {
    return {
      name: b.name,
      size: b.size,
      createdAt: b.createdAt,
      method: b.method,
      encrypted: b.encrypted,
      verified: b.verified,
      verifiedAt: b.verifiedAt,
      sha256: b.sha256 || null,
      migration: b.migration,
      note: b.note,
    };
  }
}

export class BackupEnvelopeDto {
  @ApiProperty({ type: BackupDto }) data!: BackupDto;
}

export class BackupListDto extends ListMetaDto {
  @ApiProperty({ type: [BackupDto] }) data!: BackupDto[];
}
