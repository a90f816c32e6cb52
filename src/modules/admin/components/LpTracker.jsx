// LP tracker: one fund's LPs with commitment, funded, unfunded and their paperwork (docs, wire, K-1), sortable,
// with totals per currency, a CSV download (managers and admins), and the LPs of earlier funds to ask for a re-up.
import React, { useEffect, useMemo, useState } from 'react';
import { Box, Button, H5, Icon, Text } from '@adminjs/design-system';
import { useCurrentAdmin } from 'adminjs';
import { DataTable, FundPicker, PageFrame, Problem, StatusBadge } from './admin-page-kit.jsx';
import { formatMoney } from './Money.jsx';
import { failure, readPage, recordPath } from './page-api.js';

const Check = ({ done, label }) => (
  <StatusBadge status={done ? 'success' : 'skipped'} label={done ? `${label} ✓` : `${label} —`} />
);

const COLUMNS = [
  { key: 'contact', label: 'LP', value: (lp) => lp.contact.name },
  {
    key: 'organization',
    label: 'Organization',
    value: (lp) => (lp.organization ? lp.organization.name : ''),
  },
  { key: 'commitment', label: 'Commitment', value: (lp) => lp.commitment, money: true },
  { key: 'funded', label: 'Funded', value: (lp) => lp.funded, money: true },
  { key: 'unfunded', label: 'Unfunded', value: (lp) => lp.unfunded, money: true },
  { key: 'legalDocsSigned', label: 'Docs', value: (lp) => (lp.legalDocsSigned ? 1 : 0) },
  { key: 'wireReceived', label: 'Wire', value: (lp) => (lp.wireReceived ? 1 : 0) },
  { key: 'k1Sent', label: 'K-1', value: (lp) => (lp.k1Sent ? 1 : 0) },
];

const cell = (column, lp) => {
  if (column.money)
    return <span style={{ whiteSpace: 'nowrap' }}>{formatMoney(lp[column.key], lp.currency)}</span>;
  if (column.key === 'contact') return <a href={recordPath('contact', lp.contact.id)}>{lp.contact.name}</a>;
  if (column.key === 'organization') return lp.organization ? lp.organization.name : '—';
  return <Check done={lp[column.key]} label={column.label} />;
};

const SortButton = ({ column, sort, onSort }) => {
  const active = sort.key === column.key;
  return (
    <button
      type="button"
      onClick={() => onSort(column.key)}
      data-testid={`sort-${column.key}`}
      aria-label={`Sort by ${column.label}`}
      style={{ all: 'unset', cursor: 'pointer', fontWeight: 600, whiteSpace: 'nowrap' }}
    >
      {column.label} {active ? (sort.desc ? '▼' : '▲') : ''}
    </button>
  );
};

const LpTracker = () => {
  const [currentAdmin] = useCurrentAdmin();
  const [fundId, setFundId] = useState('');
  const [data, setData] = useState(undefined);
  const [error, setError] = useState(null);
  const [sort, setSort] = useState({ key: 'commitment', desc: true });

  useEffect(() => {
    let current = true;
    setError(null);
    readPage('lpTracker', { fundId })
      .then((answer) => current && setData(answer))
      .catch((e) => {
        if (!current) return;
        setError(failure(e).message);
        setData((d) => d || { funds: [], fund: null, breakdown: null, reUpTargets: [] });
      });
    return () => {
      current = false;
    };
  }, [fundId]);

  const rows = useMemo(() => {
    const lps = data && data.breakdown ? [...data.breakdown.lps] : undefined;
    const column = COLUMNS.find((c) => c.key === sort.key);
    if (lps && column) {
      lps.sort((a, b) => {
        const x = column.value(a);
        const y = column.value(b);
        const order = typeof x === 'number' ? x - y : String(x).localeCompare(String(y));
        return sort.desc ? -order : order;
      });
    }
    return lps;
  }, [data, sort]);

  const onSort = (key) => setSort((s) => ({ key, desc: s.key === key ? !s.desc : key !== 'contact' }));
  const fund = data && data.fund;
  const summary = data && data.breakdown && data.breakdown.summary;
  const mayExport = currentAdmin && ['manager', 'admin'].includes(currentAdmin.role);
  const columns = COLUMNS.map((c) => ({
    key: c.key,
    label: <SortButton column={c} sort={sort} onSort={onSort} />,
    render: (lp) => cell(c, lp),
  }));

  return (
    <PageFrame
      testId="lp-tracker"
      title="LP tracker"
      intro={fund ? `${fund.name} · ${fund.status}` : 'Commitments and paperwork per fund.'}
      actions={
        <Box flex alignItems="center" style={{ gap: 12 }}>
          {data ? (
            <FundPicker
              funds={data.funds}
              value={fundId || (fund ? fund.id : '')}
              onChange={setFundId}
              testId="lp-tracker-fund"
            />
          ) : null}
          {mayExport && fund ? (
            <Button
              as="a"
              variant="outlined"
              href={`/admin/reports/lp-breakdown.csv?fundId=${encodeURIComponent(fund.id)}`}
              data-testid="lp-tracker-csv"
            >
              <Icon icon="Download" />
              CSV
            </Button>
          ) : null}
        </Box>
      }
    >
      <Problem text={error} />
      {summary ? (
        <Box
          flex
          flexWrap="wrap"
          mb="lg"
          style={{ gap: '4px 24px', fontSize: 14 }}
          data-testid="lp-tracker-summary"
        >
          <span>
            <b>{summary.lps}</b> LPs
          </span>
          <span>
            docs signed <b>{summary.legalDocsSigned}</b> · wired <b>{summary.wireReceived}</b> · K-1 sent{' '}
            <b>{summary.k1Sent}</b>
          </span>
          {summary.totals.map((t) => (
            <span key={t.currency}>
              {t.currency}: committed <b>{formatMoney(t.committed, t.currency)}</b>, funded{' '}
              <b>{formatMoney(t.funded, t.currency)}</b>, unfunded{' '}
              <b>{formatMoney(t.unfunded, t.currency)}</b>
            </span>
          ))}
        </Box>
      ) : null}
      <DataTable
        testId="lp-tracker-table"
        columns={columns}
        rows={data && !fund ? [] : rows}
        empty={
          fund
            ? 'No LP has committed to this fund yet.'
            : 'No fund yet: create one under Fundraising → Funds.'
        }
      />
      <Box mt="xxl">
        <H5 mb="sm">Re-up targets</H5>
        <Text color="grey60" mb="default">
          LPs of earlier funds who are not in this fund&apos;s pipeline yet, with what they committed before.
        </Text>
        <DataTable
          testId="lp-tracker-reups"
          rowKey={(t) => t.contact.id}
          columns={[
            {
              key: 'contact',
              label: 'LP',
              render: (t) => <a href={recordPath('contact', t.contact.id)}>{t.contact.name}</a>,
            },
            { key: 'organization', label: 'Organization', render: (t) => t.organizationName || '—' },
            {
              key: 'earlier',
              label: 'Earlier commitments',
              render: (t) =>
                t.earlierCommitments
                  .map((c) => `${c.fund.name}: ${formatMoney(c.amount, c.currency)}`)
                  .join(' · '),
            },
            {
              key: 'last',
              label: 'Last contact',
              render: (t) => (t.lastContactDate ? String(t.lastContactDate).slice(0, 10) : 'never'),
            },
          ]}
          rows={data ? data.reUpTargets : undefined}
          empty="No re-up targets: every earlier LP is in this fund's pipeline already."
        />
      </Box>
    </PageFrame>
  );
};

export default LpTracker;
