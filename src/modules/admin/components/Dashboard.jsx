// The back office's home page: the raise at a glance, from the report services (the same numbers as
// /api/reports/dashboard, /activity and /fund-progress), per currency, with the day's actions beside them.
import React, { useEffect, useState } from 'react';
import { Box, H2, H5, Loader, Text } from '@adminjs/design-system';
import { ApiClient } from 'adminjs';
import { ActivityChart, PipelineChart } from './dashboard-charts.jsx';
import { formatMoney } from './Money.jsx';
import { failure, recordPath, STAGE_LABELS } from './page-api.js';
import { FundPicker, Problem } from './admin-page-kit.jsx';

const client = new ApiClient();
const readDashboard = (params) => client.getDashboard({ params }).then((response) => response.data);

const money = (list) =>
  list && list.length > 0 ? list.map((m) => formatMoney(Math.round(m.amount), m.currency)).join(' · ') : '$0';

const panel = { borderRadius: 8, border: '1px solid #e3e7ee', background: 'white' };

const Card = ({ label, value, sub, href, testId }) => (
  <Box
    as={href ? 'a' : 'div'}
    href={href}
    data-testid={testId}
    p="lg"
    style={{ ...panel, flex: '1 1 200px', textDecoration: 'none', color: 'inherit', minWidth: 0 }}
  >
    <Text
      color="grey60"
      mb="sm"
      style={{ fontSize: 12, textTransform: 'uppercase', letterSpacing: '0.04em' }}
    >
      {label}
    </Text>
    <Text style={{ fontSize: 22, fontWeight: 500, overflowWrap: 'anywhere' }}>{value}</Text>
    {sub ? (
      <Text color="grey60" mt="xs" style={{ fontSize: 13 }}>
        {sub}
      </Text>
    ) : null}
  </Box>
);

const Panel = ({ title, children, testId, style }) => (
  <Box p="lg" data-testid={testId} style={{ ...panel, minWidth: 0, ...style }}>
    <H5 mb="default">{title}</H5>
    {children}
  </Box>
);

const Empty = ({ children }) => <Text color="grey60">{children}</Text>;

const Row = ({ children, testId }) => (
  <Box
    py="sm"
    flex
    justifyContent="space-between"
    style={{ gap: 12, borderBottom: '1px solid #f0f2f5' }}
    data-testid={testId}
  >
    {children}
  </Box>
);

const Due = ({ date, overdue }) => (
  <span
    style={{ whiteSpace: 'nowrap', color: overdue ? '#b91c1c' : '#4b5563', fontWeight: overdue ? 600 : 400 }}
  >
    {overdue ? `overdue · ${date}` : date}
  </span>
);

/** Target, committed, funded and weighted pipeline in the fund's currency; other currencies listed apart. */
const FundProgress = ({ progress }) => {
  const { fund } = progress;
  const inFund = (list) => (list.find((m) => m.currency === fund.currency) || {}).amount || 0;
  const target = fund.targetAmount;
  const committed = inFund(progress.committed);
  const funded = inFund(progress.funded);
  const weighted = inFund(progress.weightedPipeline);
  const scale = Math.max(target || 0, committed + weighted, 1);
  const pct = (v) => `${Math.min(100, (v / scale) * 100).toFixed(1)}%`;
  const others = progress.committed.filter((m) => m.currency !== fund.currency);
  return (
    <Box data-testid="fund-progress">
      <Box
        style={{
          position: 'relative',
          height: 22,
          background: '#eef2f7',
          borderRadius: 6,
          overflow: 'hidden',
        }}
      >
        <div
          style={{ position: 'absolute', inset: 0, width: pct(committed + weighted), background: '#a6bfd8' }}
        />
        <div style={{ position: 'absolute', inset: 0, width: pct(committed), background: '#2f6496' }} />
        <div style={{ position: 'absolute', inset: 0, width: pct(funded), background: '#1f4e79' }} />
      </Box>
      <Box flex flexWrap="wrap" mt="default" style={{ gap: '4px 20px', fontSize: 13 }}>
        <span>
          <b>Committed</b> {formatMoney(committed, fund.currency)}
          {target
            ? ` of ${formatMoney(target, fund.currency)} (${Math.round((committed / target) * 100)}%)`
            : ''}
        </span>
        <span>
          <b>Funded</b> {formatMoney(funded, fund.currency)}
        </span>
        <span>
          <b>Weighted pipeline</b> {formatMoney(weighted, fund.currency)}
        </span>
        {progress.gapToTarget !== null ? (
          <span>
            <b>Gap</b> {formatMoney(progress.gapToTarget, fund.currency)}
            {progress.coverage !== null ? ` · coverage ${progress.coverage.toFixed(2)}×` : ''}
          </span>
        ) : null}
        {others.length > 0 ? <span>Also committed: {money(others)}</span> : null}
      </Box>
    </Box>
  );
};

const Dashboard = () => {
  const [fundId, setFundId] = useState('');
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);

  useEffect(() => {
    let current = true;
    setError(null);
    readDashboard(fundId ? { fundId } : {})
      .then((answer) => current && setData(answer))
      .catch((e) => current && setError(failure(e).message));
    return () => {
      current = false;
    };
  }, [fundId]);

  if (!data) {
    return (
      <Box p="xxl" data-testid="dashboard">
        <Problem text={error} />
        {error ? null : <Loader />}
      </Box>
    );
  }
  const { report, activity, progress } = data;
  const k = report.kpis;
  const fund = report.fund;
  const myTasks = `/admin/resources/Task?filters.assignee=${encodeURIComponent(data.userId)}&filters.status=open`;
  return (
    <Box p={['lg', 'xl']} data-testid="dashboard">
      <Box
        flex
        justifyContent="space-between"
        alignItems="flex-end"
        mb="lg"
        style={{ gap: 16, flexWrap: 'wrap' }}
      >
        <Box>
          <H2 mb="xs">Welcome{data.fullName ? `, ${data.fullName}` : ''}</H2>
          <Text color="grey60">{fund ? `${fund.name} · ${fund.status}` : 'No fund is raising yet.'}</Text>
        </Box>
        <FundPicker
          funds={data.funds}
          value={fundId || (fund ? fund.id : '')}
          onChange={setFundId}
          testId="dashboard-fund"
        />
      </Box>
      <Problem text={error} />
      <Box flex flexWrap="wrap" style={{ gap: 12 }} mb="lg">
        <Card
          testId="kpi-lps"
          label="LPs in fund"
          value={k.lps}
          sub={`${k.lpsAllFunds} across all funds`}
          href="/admin/pages/lpTracker"
        />
        <Card
          testId="kpi-committed"
          label="Committed"
          value={money(k.committed)}
          sub={`funded ${money(k.funded)}`}
        />
        <Card
          testId="kpi-pipeline"
          label="Open pipeline"
          value={money(k.pipeline)}
          sub={`weighted ${money(k.weightedPipeline)}`}
          href="/admin/pages/pipeline"
        />
        <Card
          testId="kpi-active-opportunities"
          label="Active opportunities"
          value={k.activeOpportunities}
          href="/admin/resources/Opportunity"
        />
        <Card
          testId="kpi-prospects"
          label="Prospects"
          value={k.prospects}
          href="/admin/resources/Contact?filters.contactType=prospect"
        />
        <Card
          testId="kpi-communications"
          label="Communications this month"
          value={k.communicationsThisMonth}
          href="/admin/resources/Communication"
        />
        <Card testId="kpi-tasks" label="My open tasks" value={data.openTasks} href={myTasks} />
      </Box>
      <Box
        style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(420px, 1fr))', gap: 12 }}
        mb="lg"
      >
        <Panel title="Pipeline by stage" testId="chart-pipeline">
          {fund ? (
            <Box style={{ height: 240 }}>
              <PipelineChart groups={report.pipelineByStage} />
            </Box>
          ) : (
            <Empty>Create a fund and its opportunities to see the pipeline.</Empty>
          )}
        </Panel>
        <Panel title={`Activity, last ${activity.days} days (${activity.total})`} testId="chart-activity">
          <Box style={{ height: 240 }}>
            <ActivityChart days={activity.byDay} />
          </Box>
        </Panel>
      </Box>
      {progress ? (
        <Panel
          title={`Progress of ${progress.fund.name}`}
          testId="panel-progress"
          style={{ marginBottom: 12 }}
        >
          <FundProgress progress={progress} />
        </Panel>
      ) : null}
      <Box style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))', gap: 12 }}>
        <Panel title="Upcoming next actions" testId="panel-next-actions">
          {report.nextActions.length === 0 ? <Empty>Nothing scheduled in the next 14 days.</Empty> : null}
          {report.nextActions.map((a) => (
            <Row key={a.id} testId="next-action">
              <a href={recordPath('communication', a.id)}>{a.nextAction || '(no text)'}</a>
              <Due date={a.dueDate} overdue={a.overdue} />
            </Row>
          ))}
        </Panel>
        <Panel title="Tasks due" testId="panel-tasks">
          {report.tasks.length === 0 ? <Empty>No open task due in the next 14 days.</Empty> : null}
          {report.tasks.map((t) => (
            <Row key={t.id} testId="due-task">
              <a href={`/admin/resources/Task/records/${encodeURIComponent(t.id)}/show`}>{t.title}</a>
              <Due date={t.dueDate} overdue={t.overdue} />
            </Row>
          ))}
        </Panel>
        <Panel title="Recent stage changes" testId="panel-stage-changes">
          {report.recentStageChanges.length === 0 ? <Empty>No stage changes yet.</Empty> : null}
          {report.recentStageChanges.map((c) => (
            <Row key={c.id}>
              <a href={recordPath('opportunity', c.opportunity.id)}>{c.opportunity.name}</a>
              <span style={{ whiteSpace: 'nowrap', color: '#4b5563' }}>
                {c.from ? `${STAGE_LABELS[c.from] || c.from} → ` : ''}
                {STAGE_LABELS[c.to] || c.to}
              </span>
            </Row>
          ))}
        </Panel>
      </Box>
    </Box>
  );
};

export default Dashboard;
