// Backups (admins): every backup in BACKUP_DIR with its method, verification and checksum, a download link,
// the last runs of the backup job, and "Back up now" (the same job, lock and record as the schedule).
import React, { useCallback, useEffect, useState } from 'react';
import { Box, Button, H5, Icon, MessageBox } from '@adminjs/design-system';
import { DataTable, NewestShown, PageFrame, Problem, StatusBadge, when } from './admin-page-kit.jsx';
import { failure, readPage, writePage } from './page-api.js';

const size = (bytes) => {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
};

const BACKUP_COLUMNS = [
  { key: 'createdAt', label: 'Made', render: (b) => when(b.createdAt) },
  {
    key: 'name',
    label: 'File',
    render: (b) => (
      <a
        href={`/admin/backups/${encodeURIComponent(b.name)}/download`}
        download
        data-testid="backup-download"
      >
        {b.name}
      </a>
    ),
  },
  { key: 'size', label: 'Size', render: (b) => size(b.size) },
  { key: 'method', label: 'Method', render: (b) => (b.method === 'pg_dump' ? 'pg_dump' : 'portable') },
  {
    key: 'verified',
    label: 'Verified',
    render: (b) => (
      <StatusBadge
        status={b.verified ? 'success' : 'failed'}
        label={b.verified ? 'verified' : 'not verified'}
      />
    ),
  },
  { key: 'encrypted', label: 'Encrypted', render: (b) => (b.encrypted ? 'yes' : 'no') },
  {
    key: 'sha256',
    label: 'SHA-256',
    render: (b) =>
      b.sha256 ? (
        <code title={b.sha256} style={{ fontSize: 12 }}>
          {b.sha256.slice(0, 12)}…
        </code>
      ) : (
        '—'
      ),
  },
];

const RUN_COLUMNS = [
  { key: 'startedAt', label: 'Started', render: (r) => when(r.startedAt) },
  { key: 'trigger', label: 'By', render: (r) => r.trigger },
  { key: 'status', label: 'Status', render: (r) => <StatusBadge status={r.status} /> },
  {
    key: 'details',
    label: 'Details',
    render: (r) => (r.details && (r.details.error || r.details.reason || r.details.name)) || '',
  },
];

const Backups = () => {
  const [data, setData] = useState(undefined);
  const [error, setError] = useState(null);
  const [running, setRunning] = useState(false);
  const [made, setMade] = useState(null);

  const show = useCallback((answer) => {
    setData(answer);
    if (answer.made) setMade(answer.made);
  }, []);
  const fail = useCallback((e) => {
    setError(failure(e).message);
    setData((current) => current || { backups: [], runs: [] });
  }, []);

  useEffect(() => {
    readPage('backups').then(show, fail);
  }, [show, fail]);

  const backUpNow = () => {
    setRunning(true);
    setMade(null);
    setError(null);
    writePage('backups', 'backUpNow', {})
      .then(show, fail)
      .finally(() => setRunning(false));
  };

  return (
    <PageFrame
      testId="backups-page"
      title="Backups"
      intro="Verified backups of the whole database, newest first. Restore one with the CLI: npm run cli -- restore <file>."
      actions={
        <Button variant="contained" onClick={backUpNow} disabled={running} data-testid="backup-now">
          <Icon icon="HardDrive" />
          {running ? 'Backing up…' : 'Back up now'}
        </Button>
      }
    >
      <Problem text={error} />
      {made ? (
        <MessageBox
          mb="lg"
          variant="success"
          data-testid="backup-made"
          message={`Backup ${made.name} made and verified (${made.method}, ${size(made.size)}).`}
        />
      ) : null}
      <DataTable
        testId="backups-table"
        columns={BACKUP_COLUMNS}
        rows={data && data.backups}
        rowKey={(b) => b.name}
        empty="No backups yet. The daily job makes one at BACKUP_CRON, or press “Back up now”."
      />
      {data ? <NewestShown shown={data.backups.length} total={data.total} /> : null}
      <Box mt="xxl">
        <H5 mb="default">Last runs of the backup job</H5>
        <DataTable
          testId="backup-runs"
          columns={RUN_COLUMNS}
          rows={data && data.runs}
          empty="The backup job has not run yet."
        />
      </Box>
    </PageFrame>
  );
};

export default Backups;
