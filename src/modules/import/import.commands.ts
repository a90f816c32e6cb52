import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

import { MikroORM } from '@mikro-orm/postgresql';
import { Command, CommandRunner, Option } from 'nest-commander';

import { inCliContext } from '../../cli/cli-context.js';
import { fail, out } from '../../cli/cli-output.js';
import { progressBar } from '../../cli/cli-progress.js';
import { AppError } from '../../common/errors/index.js';
import { enumValues } from '../../common/entities/enums.js';
import { ImportEntityType } from './import-fields.js';
import { tableFromCsv } from './import-table.js';
import { type ImportReport, OnDuplicate } from './import-types.js';
import { ImportService } from './import.service.js';

interface ImportCommandOptions {
  entity: ImportEntityType;
  mapping?: string;
  dryRun?: boolean;
  onDuplicate?: OnDuplicate;
  partial?: boolean;
  dayFirst?: boolean;
}

/** Issues printed at most; the batch detail (GET /api/import/batches/:id) has them all. */
const SHOWN_ISSUES = 50;

@Command({
  name: 'import',
  arguments: '<file>',
  description:
    'Import a CSV file (e.g. an Airtable export): every row created, updated, skipped or rejected with its reason; one transaction',
})
export class ImportCommand extends CommandRunner {
  constructor(
    private readonly orm: MikroORM,
    private readonly imports: ImportService,
  ) {
    super();
  }

  async run([file]: string[], options: ImportCommandOptions): Promise<void> {
    const bar = progressBar('Importing', 'rows');
    try {
      const table = tableFromCsv(await readFile(file, 'utf8'), 'file');
      const mapping = options.mapping ? await readMapping(options.mapping) : {};
      const report = await inCliContext(this.orm, () =>
        this.imports.run(
          table,
          {
            entityType: options.entity,
            mapping,
            dryRun: options.dryRun ?? false,
            onDuplicate: options.onDuplicate ?? OnDuplicate.Skip,
            partial: options.partial ?? false,
            dayFirst: options.dayFirst ?? false,
            formulaEscapes: 'auto',
            fileName: basename(file),
          },
          (done, total) => bar.update(done, total),
        ),
      );
      bar.stop();
      printReport(report);
      if (report.status === 'rolled_back') process.exitCode = 1;
    } catch (err) {
      bar.stop();
      fail(err instanceof AppError ? err.message : (err as Error).message);
    }
  }

  @Option({
    flags: '--entity <type>',
    description: `What the rows are: ${enumValues(ImportEntityType).join(', ')}`,
    required: true,
  })
  parseEntity(value: string): ImportEntityType {
    if (!enumValues(ImportEntityType).includes(value)) {
      throw new Error(`--entity must be one of: ${enumValues(ImportEntityType).join(', ')}`);
    }
    return value as ImportEntityType;
  }

  @Option({
    flags: '--mapping <file>',
    description:
      'A JSON file {"csv column": "field" | "cf.<key>" | "ignore"}; without it, the suggested mapping',
  })
  parseMapping(value: string): string {
    return value;
  }

  @Option({ flags: '--dry-run', description: 'Report what would happen; write nothing' })
  parseDryRun(): boolean {
    return true;
  }

  @Option({ flags: '--on-duplicate <mode>', description: 'skip (default), update or create' })
  parseOnDuplicate(value: string): OnDuplicate {
    if (!enumValues(OnDuplicate).includes(value))
      throw new Error('--on-duplicate must be skip, update or create');
    return value as OnDuplicate;
  }

  @Option({ flags: '--partial', description: 'Import the good rows even if others are rejected' })
  parsePartial(): boolean {
    return true;
  }

  @Option({ flags: '--day-first', description: 'Dates such as 15/3/2024 are day first' })
  parseDayFirst(): boolean {
    return true;
  }
}

async function readMapping(path: string): Promise<Record<string, string>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new Error(`--mapping ${path}: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`--mapping ${path}: must be a JSON object of "column": "field"`);
  }
  return parsed as Record<string, string>;
}

function printReport(report: ImportReport): void {
  const verdict = {
    dry_run: 'Dry run: nothing was written.',
    committed: `Imported: batch ${report.batchId} (undo: DELETE /api/import/batches/${report.batchId}).`,
    rolled_back:
      'Nothing was written: some rows were rejected (fix them, or pass --partial to import the others).',
  }[report.status];
  out(verdict);
  out(
    `${report.rows} rows: ${report.created} created, ${report.updated} updated, ${report.skipped} skipped ` +
      `(${report.skippedDuplicate} duplicate, ${report.skippedBlank} blank, ${report.skippedUnchanged} unchanged), ${report.rejected} rejected`,
  );
  if (report.linkedCreated.organizations + report.linkedCreated.tags > 0) {
    out(
      `Linked records created: ${report.linkedCreated.organizations} organizations, ${report.linkedCreated.tags} tags`,
    );
  }
  for (const [label, issues] of [
    ['Rejected', report.errors],
    ['Warning', report.warnings],
  ] as const) {
    for (const issue of issues.slice(0, SHOWN_ISSUES)) {
      out(`  ${label} row ${issue.row}${issue.column ? `, column "${issue.column}"` : ''}: ${issue.message}`);
    }
    if (issues.length > SHOWN_ISSUES) out(`  … and ${issues.length - SHOWN_ISSUES} more`);
  }
}

export const IMPORT_COMMANDS = [ImportCommand];
