// Parts of the import wizard (ImportWizard.jsx): the mapping table, an import's report and the batches list.
import React from 'react';
import { Box, Button, H5, Text } from '@adminjs/design-system';
import { DataTable, NewestShown, StatusBadge, when } from './admin-page-kit.jsx';

const ENTITY_LABELS = { contact: 'Contacts', organization: 'Organizations' };

/** "Contacts" for `contact`; a type added on the server later shows under its own name. */
export const entityLabel = (type) => ENTITY_LABELS[type] ?? type.charAt(0).toUpperCase() + type.slice(1);

export const SELECT_STYLE = {
  padding: '6px 8px',
  borderRadius: 4,
  border: '1px solid #8a94a3',
  background: 'white',
  color: '#1c2430',
  fontSize: 13,
};

const cell = { padding: '6px 10px', borderBottom: '1px solid #eef0f4', fontSize: 13, verticalAlign: 'top' };

const targetLabel = (target) =>
  target === 'ignore'
    ? '— ignore this column —'
    : target.startsWith('cf.')
      ? `${target.slice(3)} (custom field)`
      : target;

/** CSV column → field: one select per column (the entity's fields, its custom fields, ignore). */
export const MappingTable = ({ columns, mapping, targets, onChange }) => (
  <Box bg="white" style={{ borderRadius: 8, border: '1px solid #e3e7ee', overflowX: 'auto' }}>
    <table style={{ width: '100%', borderCollapse: 'collapse' }} data-testid="mapping-table">
      <thead>
        <tr>
          {['Column of the file', 'First values', 'Imported as'].map((h) => (
            <th key={h} scope="col" style={{ ...cell, textAlign: 'left', fontWeight: 600 }}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {columns.map((column) => (
          <tr key={column.name} data-column={column.name}>
            <th scope="row" style={{ ...cell, textAlign: 'left', fontWeight: 500 }}>
              {column.name}
            </th>
            <td style={{ ...cell, color: '#4b5563', maxWidth: 360 }}>
              {column.samples.filter((v) => v !== '').join(' · ') || '(empty)'}
            </td>
            <td style={cell}>
              <select
                aria-label={`Import column ${column.name} as`}
                data-testid="mapping-select"
                value={mapping[column.name] ?? 'ignore'}
                onChange={(e) => onChange(column.name, e.target.value)}
                style={SELECT_STYLE}
              >
                {targets.map((t) => (
                  <option key={t} value={t}>
                    {targetLabel(t)}
                  </option>
                ))}
              </select>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  </Box>
);

const count = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "6 rows: 3 created, 1 updated, 1 skipped (1 duplicate), 1 rejected" — the four always add up to the rows. */
export const countsText = (r) => {
  const skips = [
    r.skippedDuplicate && count(r.skippedDuplicate, 'duplicate'),
    r.skippedUnchanged && `${r.skippedUnchanged} unchanged`,
    r.skippedBlank && `${r.skippedBlank} blank`,
  ].filter(Boolean);
  return (
    `${count(r.rows, 'row')}: ${r.created} created, ${r.updated} updated, ` +
    `${r.skipped} skipped${skips.length ? ` (${skips.join(', ')})` : ''}, ${r.rejected} rejected`
  );
};

const OUTCOME = {
  dry_run: 'Dry run — nothing was written. A real import of this file does exactly this:',
  committed: 'Imported.',
  rolled_back:
    'Nothing was imported: some rows were rejected. Fix the file or the mapping, or tick “Import the good rows”.',
};

const ISSUE_COLUMNS = [
  { key: 'row', label: 'Row', render: (i) => String(i.row) },
  { key: 'column', label: 'Column', render: (i) => i.column ?? '—' },
  { key: 'message', label: 'Problem', render: (i) => i.message },
];

/** An import's report: what happened to the rows, and each rejected row's column and reason. */
export const ReportView = ({ report, testId, mt = 'lg' }) => {
  const issues = [
    ...report.errors.map((e, n) => ({ ...e, id: `e${n}` })),
    ...report.warnings.map((w, n) => ({ ...w, id: `w${n}`, message: `Warning: ${w.message}` })),
  ];
  return (
    <Box mt={mt} data-testid={testId} data-status={report.status}>
      <Text mb="sm">{OUTCOME[report.status] ?? report.status}</Text>
      <Text mb="default" fontWeight="bold" data-testid={`${testId}-counts`}>
        {countsText(report)}
        {report.linkedCreated.organizations
          ? `; ${count(report.linkedCreated.organizations, 'organization')} created from names`
          : ''}
      </Text>
      {issues.length > 0 ? (
        <DataTable testId={`${testId}-problems`} columns={ISSUE_COLUMNS} rows={issues} empty="" />
      ) : null}
    </Box>
  );
};

const BATCH_STATUS = { committed: 'success', undone: 'skipped' };

/** The batches, newest first, with Undo on those that stand. */
export const BatchesTable = ({ batches, onUndo, busy }) => {
  const columns = [
    { key: 'createdAt', label: 'Imported', render: (b) => when(b.createdAt) },
    { key: 'entityType', label: 'Type', render: (b) => entityLabel(b.entityType) },
    { key: 'fileName', label: 'File', render: (b) => b.fileName || '—' },
    {
      key: 'status',
      label: 'Status',
      render: (b) => <StatusBadge status={BATCH_STATUS[b.status] ?? 'skipped'} label={b.status} />,
    },
    {
      key: 'counts',
      label: 'Rows',
      render: (b) =>
        `${b.counts.rows} · ${b.counts.created} new · ${b.counts.updated} updated · ${b.counts.skipped} skipped · ${b.counts.rejected} rejected`,
    },
    { key: 'actorLabel', label: 'By', render: (b) => b.actorLabel },
    {
      key: 'undo',
      label: 'Undo',
      render: (b) =>
        b.status === 'committed' ? (
          <Button
            type="button"
            size="sm"
            variant="outlined"
            disabled={busy}
            onClick={() => onUndo(b)}
            aria-label={`Undo the import of ${b.fileName || 'this file'}`}
            data-testid="batch-undo"
          >
            Undo
          </Button>
        ) : (
          ''
        ),
    },
  ];
  return (
    <Box mt="xxl">
      <H5 mb="default">Imports</H5>
      <DataTable
        testId="batches-table"
        columns={columns}
        rows={batches && batches.data}
        empty="Nothing has been imported yet."
      />
      {batches ? <NewestShown shown={batches.data.length} total={batches.total} /> : null}
    </Box>
  );
};
