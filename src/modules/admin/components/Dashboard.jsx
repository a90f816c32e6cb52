// The back office's home page: a few numbers the team looks at every day, and where to go next.
import React, { useEffect, useState } from 'react';
import { Box, H2, H5, Text } from '@adminjs/design-system';
import { ApiClient } from 'adminjs';
import { formatMoney } from './Money.jsx';

const api = new ApiClient();

// Whole units: "$34,000,000".
const money = (amount, currency) => formatMoney(Math.round(amount), currency);

/** One total per currency, largest first: "$34,000,000 · €2,000,000". */
const pipelineText = (pipeline) =>
  pipeline && pipeline.length > 0
    ? pipeline.map((p) => money(p.amount, p.currency)).join(' · ')
    : money(0, 'USD');

const Card = ({ label, value, href, testId }) => (
  <Box
    as="a"
    href={href}
    data-testid={testId}
    bg="white"
    p="xl"
    style={{
      flex: '1 1 200px',
      borderRadius: 8,
      border: '1px solid #e3e7ee',
      textDecoration: 'none',
      color: 'inherit',
    }}
  >
    <Text
      color="grey60"
      mb="sm"
      style={{ fontSize: 13, textTransform: 'uppercase', letterSpacing: '0.04em' }}
    >
      {label}
    </Text>
    <Text style={{ fontSize: 28, fontWeight: 500 }}>{value}</Text>
  </Box>
);

const Dashboard = () => {
  const [data, setData] = useState(null);
  useEffect(() => {
    api
      .getDashboard()
      .then((response) => setData(response.data))
      .catch(() => setData({ error: true }));
  }, []);
  const d = data || {};
  return (
    <Box p={['lg', 'xxl']} data-testid="dashboard">
      <H2 mb="sm">Welcome{d.fullName ? `, ${d.fullName}` : ''}</H2>
      <Text color="grey60" mb="xl">
        venture-crm back office — investor relations and fundraising.
      </Text>
      <Box flex flexWrap="wrap" style={{ gap: 16 }} mb="xxl">
        <Card
          testId="kpi-contacts"
          label="Contacts"
          value={data ? d.contacts : '…'}
          href="/admin/resources/Contact"
        />
        <Card
          testId="kpi-organizations"
          label="Organizations"
          value={data ? d.organizations : '…'}
          href="/admin/resources/Organization"
        />
        <Card
          testId="kpi-pipeline"
          label="Open pipeline"
          value={data ? pipelineText(d.pipeline) : '…'}
          href="/admin/resources/Opportunity"
        />
        <Card
          testId="kpi-tasks"
          label="My open tasks"
          value={data ? d.openTasks : '…'}
          href={
            d.userId
              ? `/admin/resources/Task?filters.assignee=${encodeURIComponent(d.userId)}&filters.status=open`
              : '/admin/resources/Task'
          }
        />
      </Box>
      <H5 mb="default">Upcoming next actions</H5>
      <Box bg="white" p="lg" style={{ borderRadius: 8, border: '1px solid #e3e7ee' }}>
        {data && (d.nextActions || []).length === 0 ? <Text color="grey60">Nothing scheduled.</Text> : null}
        {(d.nextActions || []).map((a) => (
          <Box
            key={a.id}
            py="sm"
            flex
            justifyContent="space-between"
            style={{ borderBottom: '1px solid #f0f2f5' }}
          >
            <a href={`/admin/resources/Communication/records/${a.id}/show`}>{a.nextAction}</a>
            <Text color="grey60">{a.nextActionDate}</Text>
          </Box>
        ))}
      </Box>
    </Box>
  );
};

export default Dashboard;
