// Job runs (admins): every run of the scheduled jobs (backup, digest, reminders), newest first, by job and
// status, with what each did or why it failed.
import React, { useEffect, useState } from 'react';
import { Box, Button, Select, Text } from '@adminjs/design-system';
import { DataTable, PageFrame, Problem, StatusBadge, when } from './admin-page-kit.jsx';
import { failure, readPage } from './page-api.js';
const PAGE = 25;

const JOBS = [
  { value: '', label: 'All jobs' },
  { value: 'backup', label: 'Backup' },
  { value: 'digest', label: 'Digest mail' },
  { value: 'reminders', label: 'Task reminders' },
];
const STATUSES = [
  { value: '', label: 'Any status' },
  { value: 'success', label: 'Success' },
  { value: 'failed', label: 'Failed' },
  { value: 'skipped', label: 'Skipped' },
  { value: 'running', label: 'Running' },
  { value: 'interrupted', label: 'Interrupted' },
];

const duration = (run) => {
  if (!run.finishedAt) return '—';
  const ms = new Date(run.finishedAt) - new Date(run.startedAt);
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
};

const detailText = (details) => {
  if (!details) return '';
  if (details.error) return String(details.error);
  if (details.reason) return String(details.reason);
  return Object.entries(details)
    .filter(([k, v]) => k !== 'sha256' && v !== null && typeof v !== 'object')
    .map(([k, v]) => `${k}: ${v}`)
    .join(' · ');
};

const COLUMNS = [
  { key: 'job', label: 'Job' },
  { key: 'status', label: 'Status', render: (r) => <StatusBadge status={r.status} /> },
  { key: 'startedAt', label: 'Started', render: (r) => when(r.startedAt) },
  { key: 'duration', label: 'Took', render: duration },
  { key: 'trigger', label: 'By' },
  { key: 'instance', label: 'Instance' },
  {
    key: 'details',
    label: 'Details',
    render: (r) => (
      <span style={{ display: 'inline-block', maxWidth: 420, wordBreak: 'break-word' }}>
        {detailText(r.details)}
      </span>
    ),
  },
];

const JobRuns = () => {
  const [filters, setFilters] = useState({ job: '', status: '', offset: 0 });
  const [data, setData] = useState(undefined);
  const [error, setError] = useState(null);

  useEffect(() => {
    let current = true;
    setData(undefined);
    setError(null);
    readPage('jobRuns', { limit: PAGE, count: 'exact', ...filters })
      .then((answer) => current && setData(answer))
      .catch((e) => {
        if (!current) return;
        setError(failure(e).message);
        setData({ data: [], total: 0 });
      });
    return () => {
      current = false;
    };
  }, [filters]);

  const pick = (key) => (option) =>
    setFilters((f) => ({ ...f, [key]: option ? option.value : '', offset: 0 }));
  const total = data ? data.total : 0;
  const shown = data ? data.data.length : 0;

  return (
    <PageFrame
      testId="job-runs-page"
      title="Job runs"
      intro="Each run of the scheduled jobs, on whichever instance held the job's lock."
    >
      <Box flex style={{ gap: 16 }} mb="lg">
        {[
          ['job', 'Job', JOBS],
          ['status', 'Status', STATUSES],
        ].map(([key, label, options]) => (
          <Box key={key} style={{ width: 220 }} data-testid={`filter-${key}`}>
            <Select
              value={options.find((o) => o.value === filters[key])}
              options={options}
              onChange={pick(key)}
              aria-label={label}
            />
          </Box>
        ))}
      </Box>
      <Problem text={error} />
      <DataTable
        testId="job-runs-table"
        columns={COLUMNS}
        rows={data && data.data}
        empty="No runs match. Jobs run at their cron times, or now with: npm run cli -- run-job <backup|digest|reminders>."
      />
      {data && total > 0 ? (
        <Box flex alignItems="center" justifyContent="space-between" mt="lg">
          <Text color="grey60">
            {filters.offset + 1}–{filters.offset + shown} of{' '}
            {typeof total === 'number' ? total : `${total.capped}+`}
          </Text>
          <Box flex style={{ gap: 8 }}>
            <Button
              variant="outlined"
              disabled={filters.offset === 0}
              onClick={() => setFilters((f) => ({ ...f, offset: Math.max(0, f.offset - PAGE) }))}
            >
              Newer
            </Button>
            <Button
              variant="outlined"
              disabled={filters.offset + shown >= (typeof total === 'number' ? total : total.capped)}
              onClick={() => setFilters((f) => ({ ...f, offset: f.offset + PAGE }))}
            >
              Older
            </Button>
          </Box>
        </Box>
      ) : null}
    </PageFrame>
  );
};

export default JobRuns;
