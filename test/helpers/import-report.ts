import { expect } from '@jest/globals';

import type { ImportReport } from '../../src/modules/import/import-types.js';
import type { FixtureRow } from '../fixtures/airtable-contacts.js';

/** The answer of POST /api/import/csv. */
export type Report = ImportReport;

export const counts = (r: Report): number => r.created + r.updated + r.skipped + r.rejected;

/** Each row of a fixture did what it says (rejected naming its column and reason, skipped why), and the counts add up. */
export function expectRows(report: Report, rows: FixtureRow[]): void {
  expect(report.rows).toBe(rows.length);
  expect(counts(report)).toBe(report.rows);
  rows.forEach((r, i) => {
    const row = i + 1;
    const errors = report.errors.filter((e) => e.row === row);
    const skip = report.skips.find((s) => s.row === row);
    if (r.expect.outcome === 'rejected') {
      expect({ why: r.why, columns: errors.map((e) => e.column) }).toEqual({
        why: r.why,
        columns: [r.expect.column],
      });
      if (r.expect.message) {
        expect({ why: r.why, message: errors[0].message }).toEqual({
          why: r.why,
          message: expect.stringContaining(r.expect.message),
        });
      }
    } else {
      expect({ why: r.why, errors }).toEqual({ why: r.why, errors: [] });
    }
    if (r.expect.outcome === 'skipped')
      expect({ why: r.why, reason: skip?.reason }).toEqual({ why: r.why, reason: r.expect.reason });
  });
  expect(report.created).toBe(rows.filter((r) => r.expect.outcome === 'created').length);
}
