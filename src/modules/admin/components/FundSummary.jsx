// A fund's page: the raise in numbers (committed by LPs against the target, soft-circled — deals at stage
// Committed — beside it, funded, the open pipeline and its probability-weighted value), computed by the
// API's fund summary when the page opens. Money in another currency than the fund's is never added to its
// figures: it is shown under each figure, per currency.
import React from 'react';
import { Box, Text, ValueGroup } from '@adminjs/design-system';
import { formatMoney } from './Money.jsx';

const Figure = ({ label, value, note, testId }) => (
  <Box
    data-testid={testId}
    p="lg"
    style={{ flex: '1 1 180px', border: '1px solid #e3e7ee', borderRadius: 8, background: '#fbfcfd' }}
  >
    <Text color="grey60" style={{ fontSize: 12, textTransform: 'uppercase', letterSpacing: '0.04em' }}>
      {label}
    </Text>
    <Text style={{ fontSize: 22, fontWeight: 500, marginTop: 4 }}>{value}</Text>
    {note ? (
      <Text color="grey60" style={{ fontSize: 12, marginTop: 2 }}>
        {note}
      </Text>
    ) : null}
  </Box>
);

const FundSummary = ({ record }) => {
  let s = null;
  try {
    s = JSON.parse(record.params.summary || 'null');
  } catch {
    s = null;
  }
  if (!s) return null;
  const currency = record.params.currency;
  const target = Number(record.params.targetAmount) || 0;
  const money = (v) => formatMoney(Math.round(v), currency);
  // "+ EUR 2,000,000" for each other currency holding some of this figure's money.
  const others = (field) =>
    (s.otherCurrencies || [])
      .filter((o) => o[field])
      .map((o) => `+ ${formatMoney(Math.round(o[field]), o.currency)}`)
      .join(' · ');
  const withOthers = (note, field) => [note, others(field)].filter(Boolean).join(' · ');
  const ofTarget =
    target > 0 ? `${Math.round((s.committedTotal / target) * 100)}% of the target` : 'no target set';
  const lps = `${s.lpCount} LP${s.lpCount === 1 ? '' : 's'}`;
  const deals = `${s.openOpportunities} open opportunit${s.openOpportunities === 1 ? 'y' : 'ies'}`;
  return (
    <ValueGroup label="The raise">
      <Box flex flexWrap="wrap" style={{ gap: 12 }} data-testid="fund-summary">
        <Figure
          testId="fund-committed"
          label="Committed (LPs)"
          value={money(s.committedTotal)}
          note={withOthers(`${lps} · ${ofTarget}`, 'committed')}
        />
        <Figure
          testId="fund-soft-circled"
          label="Soft-circled"
          value={money(s.softCircledTotal || 0)}
          note={withOthers(
            `${s.softCircledOpportunities || 0} deal${s.softCircledOpportunities === 1 ? '' : 's'} at stage Committed, no LP profile yet`,
            'softCircled',
          )}
        />
        <Figure testId="fund-funded" label="Funded" value={money(s.fundedTotal)} note={others('funded')} />
        <Figure
          testId="fund-pipeline"
          label="Open pipeline"
          value={money(s.pipelineExpected)}
          note={withOthers(deals, 'pipelineExpected')}
        />
        <Figure
          testId="fund-weighted"
          label="Weighted pipeline"
          value={money(s.pipelineWeighted)}
          note={withOthers("× each deal's probability", 'pipelineWeighted')}
        />
      </Box>
    </ValueGroup>
  );
};

export default FundSummary;
