import type { ImportEntityType } from './import-fields.js';

export enum OnDuplicate {
  Skip = 'skip',
  Update = 'update',
  Create = 'create',
}

/** Cells as read from the file: a header row and data rows of text. */
export interface ImportTable {
  headers: string[];
  rows: string[][];
}

export interface ImportOptions {
  entityType: ImportEntityType;
  /** csvColumn → field | `cf.<key>` | `ignore`; columns left out are ignored. */
  mapping: Record<string, string>;
  onDuplicate: OnDuplicate;
  /** Import the good rows and report the rest (otherwise one rejected row writes nothing). */
  partial: boolean;
  dryRun: boolean;
  /** Dates such as 15/3/2024 are day first (European exports). */
  dayFirst: boolean;
  /**
   * Whether a leading apostrophe that venture-crm's export put before a formula-like cell is removed. `auto`:
   * only when the header row is that of an export of this app (it has `id`, `createdAt` and `updatedAt`).
   */
  formulaEscapes: 'auto' | 'undo' | 'keep';
  fileName?: string | null;
}

/** A problem with one row (an error rejects it; a warning does not). */
export interface RowIssue {
  /** 1 = the first data row under the header. */
  row: number;
  column: string | null;
  field: string | null;
  message: string;
}

export type SkipReason = 'duplicate' | 'blank' | 'unchanged';

export interface RowSkip {
  row: number;
  reason: SkipReason;
  /** The record the row duplicates (or would have changed). */
  recordId?: string;
}

export type ImportStatus = 'dry_run' | 'committed' | 'rolled_back';

export interface ImportReport {
  batchId: string | null;
  status: ImportStatus;
  entityType: ImportEntityType;
  /** Data rows in the file; always created + updated + skipped + rejected. */
  rows: number;
  created: number;
  updated: number;
  skipped: number;
  skippedDuplicate: number;
  skippedBlank: number;
  skippedUnchanged: number;
  rejected: number;
  /** Records created because a row linked to them by name (organizations, tags). */
  linkedCreated: { organizations: number; tags: number };
  errors: RowIssue[];
  warnings: RowIssue[];
  skips: RowSkip[];
}

export type ImportProgress = (done: number, total: number) => void;
