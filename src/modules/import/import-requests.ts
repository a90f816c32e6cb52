import type { IncomingMessage } from 'node:http';

import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';

import { ValidationError } from '../../common/errors/index.js';
import { validationDetails } from '../../common/pipes/validation.pipe.js';
import type { ImportCsvDto, ImportOptionsDto } from './dto/import.dto.js';
import { ImportOptionsDto as OptionsDto } from './dto/import.dto.js';
import { tableFromCsv, tableFromRows } from './import-table.js';
import { type ImportOptions, type ImportReport, type ImportTable, OnDuplicate } from './import-types.js';
import { readUpload, type Upload } from './import-upload.js';
import { ImportService } from './import.service.js';

/** An import request (JSON body or multipart upload) turned into a table and options for ImportService. */
@Injectable()
export class ImportRequests {
  constructor(private readonly imports: ImportService) {}

  fromBody(dto: ImportCsvDto): Promise<ImportReport> {
    let table: ImportTable;
    if (typeof dto.data === 'string') table = tableFromCsv(dto.data);
    else if (Array.isArray(dto.data)) table = tableFromRows(dto.data);
    else throw ValidationError.field('data', 'must be CSV text or an array of rows');
    return this.imports.run(table, optionsOf(dto));
  }

  async fromUpload(req: IncomingMessage): Promise<ImportReport> {
    return this.fromFile(await readUpload(req));
  }

  /** An upload already read (readUpload): the options as text fields, `mapping` as JSON. */
  async fromFile(upload: Upload): Promise<ImportReport> {
    const { mapping, ...rest } = upload.fields;
    let parsedMapping: unknown;
    if (mapping !== undefined) {
      try {
        parsedMapping = JSON.parse(mapping);
      } catch {
        throw ValidationError.field('mapping', 'must be a JSON object of column: field');
      }
    }
    const dto = plainToInstance(OptionsDto, {
      ...rest,
      ...(mapping !== undefined && { mapping: parsedMapping }),
    });
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) {
      const details = validationDetails(errors);
      throw new ValidationError(details.map((d) => `${d.field} ${d.message}`).join('; '), details);
    }
    return this.imports.run(tableFromCsv(upload.text, 'file'), optionsOf(dto, upload.fileName));
  }
}

function optionsOf(dto: ImportOptionsDto, fileName?: string): ImportOptions {
  return {
    entityType: dto.entityType,
    mapping: dto.mapping ?? {},
    onDuplicate: dto.onDuplicate ?? OnDuplicate.Skip,
    partial: dto.partial ?? false,
    dryRun: dto.dryRun ?? false,
    dayFirst: dto.dayFirst ?? false,
    formulaEscapes: dto.formulaEscapes ?? 'auto',
    fileName: dto.fileName ?? fileName ?? null,
  };
}
