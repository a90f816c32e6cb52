import { StreamableFile } from '@nestjs/common';

import { csvWriter } from '../../common/utils/csv.js';
import type {
  ActivityReportDto,
  DashboardDto,
  DealGroupDto,
  FundProgressDto,
  LpBreakdownDto,
  MoneyDto,
  PipelineAnalyticsDto,
  PipelineReportDto,
} from './dto/report-response.dto.js';
import type { ReportFormat } from './dto/report-query.dto.js';

/** What a report route writes its download's headers on: Fastify's reply (the API) or Express's (the back office). */
export interface HeaderWriter {
  header(name: string, value: string): unknown;
}

type Cell = string | number | boolean | Date | null;
type Row = Record<string, Cell>;

/** A report as one table: the columns of its CSV and its rows. */
export interface CsvTable {
  columns: string[];
  rows: Row[];
}

/**
 * Summary reports as a long table, one figure per row: `section, name, metric, currency, value`. It keeps
 * currencies apart and loads as is into a pivot table.
 */
const LONG = ['section', 'name', 'metric', 'currency', 'value'];
const figure = (
  section: string,
  name: string,
  metric: string,
  value: Cell,
  currency: string | null = null,
): Row => ({
  section,
  name,
  metric,
  currency,
  value,
});
const moneyRows = (section: string, name: string, list: MoneyDto[]): Row[] =>
  list.map((m) => figure(section, name, 'amount', m.amount, m.currency));

function groupRows(section: string, groups: DealGroupDto[]): Row[] {
  return groups.flatMap((g) => [
    figure(section, g.label, 'count', g.count),
    ...g.totals.flatMap((t) => [
      figure(section, g.label, 'expected', t.expected, t.currency),
      figure(section, g.label, 'committed', t.committed, t.currency),
      figure(section, g.label, 'weighted', t.weighted, t.currency),
    ]),
  ]);
}

export function dashboardCsv(d: DashboardDto): CsvTable {
  const k = d.kpis;
  return {
    columns: LONG,
    rows: [
      figure('fund', d.fund?.name ?? '', 'name', d.fund?.name ?? null),
      figure('kpi', 'lps', 'count', k.lps),
      ...moneyRows('kpi', 'committed', k.committed),
      ...moneyRows('kpi', 'funded', k.funded),
      ...moneyRows('kpi', 'pipeline', k.pipeline),
      ...moneyRows('kpi', 'weighted_pipeline', k.weightedPipeline),
      figure('kpi', 'active_opportunities', 'count', k.activeOpportunities),
      figure('kpi', 'prospects', 'count', k.prospects),
      figure('kpi', 'lps_all_funds', 'count', k.lpsAllFunds),
      figure('kpi', 'communications_this_month', 'count', k.communicationsThisMonth),
      ...groupRows('pipeline_by_stage', d.pipelineByStage),
    ],
  };
}

export function pipelineCsv(p: PipelineReportDto): CsvTable {
  const rows = (dimension: string, groups: DealGroupDto[]): Row[] =>
    groups.flatMap((g) =>
      (g.totals.length ? g.totals : [null]).map((t) => ({
        dimension,
        key: g.key,
        label: g.label,
        currency: t?.currency ?? null,
        count: t?.count ?? 0,
        expected: t?.expected ?? 0,
        committed: t?.committed ?? 0,
        weighted: t?.weighted ?? 0,
      })),
    );
  return {
    columns: ['dimension', 'key', 'label', 'currency', 'count', 'expected', 'committed', 'weighted'],
    rows: [...rows('stage', p.byStage), ...rows('owner', p.byOwner), ...rows('priority', p.byPriority)],
  };
}

export function lpBreakdownCsv(b: LpBreakdownDto): CsvTable {
  return {
    columns: [
      'lp_profile_id',
      'contact',
      'contact_deleted',
      'organization',
      'organization_type',
      'fund',
      'investor_type',
      'currency',
      'commitment',
      'funded',
      'unfunded',
      'commitment_date',
      'legal_docs_signed',
      'wire_received',
      'k1_sent',
    ],
    rows: b.lps.map((lp) => ({
      lp_profile_id: lp.id,
      contact: lp.contact.name,
      contact_deleted: lp.contactDeleted,
      organization: lp.organization?.name ?? null,
      organization_type: lp.organizationType,
      fund: lp.fund.name,
      investor_type: lp.investorType,
      currency: lp.currency,
      commitment: lp.commitment,
      funded: lp.funded,
      unfunded: lp.unfunded,
      commitment_date: lp.commitmentDate,
      legal_docs_signed: lp.legalDocsSigned,
      wire_received: lp.wireReceived,
      k1_sent: lp.k1Sent,
    })),
  };
}

export function activityCsv(a: ActivityReportDto): CsvTable {
  return {
    columns: ['section', 'key', 'label', 'count'],
    rows: [
      ...a.byUser.map((u) => ({ section: 'user', key: u.key, label: u.label, count: u.count })),
      ...a.byType.map((t) => ({ section: 'type', key: t.key, label: t.label, count: t.count })),
      ...a.byDay.map((d) => ({ section: 'day', key: d.date, label: d.date, count: d.count })),
    ],
  };
}

export function pipelineAnalyticsCsv(p: PipelineAnalyticsDto): CsvTable {
  return {
    columns: LONG,
    rows: [
      ...p.daysPerStage.flatMap((d) => [
        figure('days_per_stage', d.stage, 'visits', d.visits),
        figure('days_per_stage', d.stage, 'median_days', d.medianDays),
        figure('days_per_stage', d.stage, 'mean_days', d.meanDays),
      ]),
      ...p.conversion.flatMap((c) => [
        figure('conversion', `${c.from}>${c.to}`, 'reached', c.reached),
        figure('conversion', `${c.from}>${c.to}`, 'converted', c.converted),
        figure('conversion', `${c.from}>${c.to}`, 'rate', c.rate),
      ]),
      figure('closed', 'won', 'count', p.won),
      figure('closed', 'lost', 'count', p.lost),
      figure('closed', 'win_rate', 'ratio', p.winRate),
      figure('closed', 'average_cycle', 'days', p.averageCycleDays),
      ...p.velocity.flatMap((v) => [
        figure('velocity', 'open_deals', 'count', v.openDeals, v.currency),
        figure('velocity', 'average_won_amount', 'amount', v.averageWonAmount, v.currency),
        figure('velocity', 'per_day', 'amount', v.perDay, v.currency),
      ]),
      ...p.lostReasons.map((r) => figure('lost_reason', r.reason, 'count', r.count)),
    ],
  };
}

export function fundProgressCsv(f: FundProgressDto): CsvTable {
  return {
    columns: LONG,
    rows: [
      figure('fund', f.fund.name, 'target', f.fund.targetAmount, f.fund.currency),
      ...moneyRows('committed', f.fund.name, f.committed),
      ...moneyRows('funded', f.fund.name, f.funded),
      ...moneyRows('weighted_pipeline', f.fund.name, f.weightedPipeline),
      figure('fund', f.fund.name, 'gap_to_target', f.gapToTarget, f.fund.currency),
      figure('fund', f.fund.name, 'coverage', f.coverage),
      ...f.reUpTargets.flatMap((t) => [
        figure('re_up_target', t.contact.name, 'last_contact_date', t.lastContactDate),
        ...t.earlierCommitments.map((c) =>
          figure('re_up_target', t.contact.name, `commitment ${c.fund.name}`, c.amount, c.currency),
        ),
      ]),
    ],
  };
}

/**
 * What a report route answers: `{ data }` as JSON, or with `format=csv` the report's table as a download
 * named after the report and the day (UTC), through the app's one CSV writer.
 */
export function reportResponse<T>(
  res: HeaderWriter,
  format: ReportFormat | undefined,
  name: string,
  data: T,
  table: (data: T) => CsvTable,
): { data: T } | StreamableFile {
  if (format !== 'csv') return { data };
  const { columns, rows } = table(data);
  const csv = csvWriter(columns.map((key) => ({ key })));
  for (const row of rows) csv.write(row);
  csv.end();
  res.header(
    'Content-Disposition',
    `attachment; filename="${name}-${new Date().toISOString().slice(0, 10)}.csv"`,
  );
  return new StreamableFile(csv, { type: 'text/csv; charset=utf-8' });
}
