import { Injectable } from '@nestjs/common';

import type { AuthUser } from '../../common/auth/auth-user.js';
import { Role, roleAtLeast } from '../../common/auth/role.js';
import { ForbiddenError, ValidationError } from '../../common/errors/index.js';
import { money } from '../../common/utils/record-rows.js';
import { AuditService } from '../audit/audit.service.js';
import { CommunicationType } from '../communications/communication.entity.js';
import type {
  ActivityReportDto,
  DashboardDto,
  LpBreakdownDto,
  MoneyDto,
  PipelineReportDto,
} from './dto/report-response.dto.js';
import { type ActivityQueryDto, type ReportFormat } from './dto/report-query.dto.js';
import {
  dealGroups,
  fundSummary,
  lpGroups,
  lpRow,
  lpTotals,
  openPipeline,
  refOfRow,
  userRefOf,
} from './report-rows.js';
import {
  type CountsRow,
  type FundRow,
  type GroupRow,
  type LpTotalRow,
  NO_ROWS,
  ReportsRepository,
} from './reports.repository.js';

const DAY_MS = 86_400_000;
const UPCOMING_DAYS = 14;
const LIST_LIMIT = 20;
const RECENT_LIMIT = 10;

/** Today's date (UTC) as YYYY-MM-DD, `days` later (or earlier when negative). */
export const utcDay = (now: Date, days = 0): string =>
  new Date(now.getTime() + days * DAY_MS).toISOString().slice(0, 10);

const moneyList = (rows: { currency: string }[], field: string): MoneyDto[] =>
  rows.map((r) => ({ currency: r.currency, amount: money((r as Record<string, string>)[field]) }));

/**
 * The rules of the reports: which fund a report is about, validation of what the SQL cannot check, and
 * who may download CSV. Figures come from ReportsRepository.
 */
/** The 400 reason of a fundId that names no fund. */
export const NO_SUCH_FUND = 'no fund has this id';

@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly audit: AuditService,
  ) {}

  /** `fundId` when given (400 naming it when unknown), else the raising fund, else null. */
  async fundOrRaising(fundId: string | undefined): Promise<FundRow | null> {
    return fundId ? this.knownFund(fundId) : this.reports.raisingFund();
  }

  async knownFund(fundId: string): Promise<FundRow> {
    const fund = await this.reports.fund(fundId);
    if (!fund) throw ValidationError.field('fundId', NO_SUCH_FUND);
    return fund;
  }

  /**
   * A CSV download is an export: managers and admins (SPEC's role table). The report is computed first — bad
   * parameters are a 400 and no export — then the download is recorded in the audit log with its parameters.
   */
  async exportOrAnswer<T>(
    caller: AuthUser,
    report: string,
    query: { format?: ReportFormat },
    compute: () => Promise<T>,
  ): Promise<T> {
    if (query.format !== 'csv') return compute();
    if (!roleAtLeast(caller.role, Role.Manager)) {
      throw new ForbiddenError('format=csv is an export: it requires the role manager or admin');
    }
    const data = await compute();
    const { format, ...filters } = query as Record<string, unknown>;
    await this.audit.record({ action: 'export', entityType: 'report', meta: { report, format, filters } });
    return data;
  }

  /**
   * Figures computed on each request (no result kept): the fund, then every figure in one statement of small
   * indexed parts (ReportsRepository.together: one round trip).
   */
  async dashboard(fundId: string | undefined, now = new Date()): Promise<DashboardDto> {
    const fund = await this.fundOrRaising(fundId);
    const monthStart = `${utcDay(now).slice(0, 8)}01T00:00:00Z`;
    const until = utcDay(now, UPCOMING_DAYS);
    const today = utcDay(now);
    type Row = Record<string, unknown>;
    const r = this.reports;
    const { groups, lps, counts, communications, nextActions, tasks, changes } = await r.together<{
      groups: GroupRow[];
      lps: LpTotalRow[];
      counts: CountsRow[];
      communications: Row[];
      nextActions: Row[];
      tasks: Row[];
      changes: Row[];
    }>(
      {
        groups: fund ? r.groupsSql(fund.id, ['stage']) : NO_ROWS,
        lps: fund ? r.lpTotalsSql(fund.id) : NO_ROWS,
        counts: r.countsSql(monthStart),
        communications: r.recentCommunicationsSql(RECENT_LIMIT),
        nextActions: r.nextActionsSql(until, LIST_LIMIT),
        tasks: r.dueTasksSql(until, LIST_LIMIT),
        changes: r.recentStageChangesSql(RECENT_LIMIT),
      },
      // Its planning cost as much as its run (issue 12's benchmark): planned once per connection.
      { prepared: true },
    );
    const [count] = counts;
    // The open pipeline is the open stages' groups added up per currency (each already a sum of cents).
    const pipeline = openPipeline(groups);
    return {
      fund: fund && fundSummary(fund),
      kpis: {
        lps: lps.reduce((n, r) => n + r.lps, 0),
        committed: moneyList(lps, 'committed'),
        funded: moneyList(lps, 'funded'),
        pipeline: pipeline.expected,
        weightedPipeline: pipeline.weighted,
        activeOpportunities: count.activeOpportunities,
        prospects: count.prospects,
        lpsAllFunds: count.lps,
        communicationsThisMonth: count.communicationsThisMonth,
      },
      pipelineByStage: dealGroups(groups, 'stage'),
      recentCommunications: communications.map((m) => ({
        id: m.id as string,
        type: m.type as string,
        subject: m.subject as string | null,
        date: new Date(m.date as string),
        contact: refOfRow(m, 'contact'),
        opportunity: refOfRow(m, 'opportunity'),
        createdBy: userRefOf(m),
      })),
      nextActions: nextActions.map((m) => ({
        id: m.id as string,
        nextAction: m.nextAction as string | null,
        dueDate: m.dueDate as string,
        overdue: (m.dueDate as string) < today,
        contact: refOfRow(m, 'contact'),
        opportunity: refOfRow(m, 'opportunity'),
      })),
      tasks: tasks.map((t) => ({
        id: t.id as string,
        title: t.title as string,
        dueDate: t.dueDate as string,
        overdue: (t.dueDate as string) < today,
        priority: t.priority as string,
        assignee: userRefOf(t),
      })),
      recentStageChanges: changes.map((h) => ({
        id: h.id as string,
        opportunity: refOfRow(h, 'opportunity')!,
        from: h.from as string | null,
        to: h.to as string,
        at: new Date(h.at as string),
        by: userRefOf(h),
      })),
    };
  }

  async pipeline(fundId: string | undefined): Promise<PipelineReportDto> {
    const fund = fundId ? await this.knownFund(fundId) : null;
    const rows = await this.reports.groups(fundId, ['stage', 'owner', 'priority']);
    return {
      fund: fund && { id: fund.id, name: fund.name },
      byStage: dealGroups(rows, 'stage'),
      byOwner: dealGroups(rows, 'owner'),
      byPriority: dealGroups(rows, 'priority'),
    };
  }

  async lpBreakdown(fundId: string | undefined): Promise<LpBreakdownDto> {
    const fund = fundId ? await this.knownFund(fundId) : null;
    const lps = (await this.reports.lps(fundId)).map(lpRow);
    return {
      fund: fund && { id: fund.id, name: fund.name },
      summary: {
        lps: lps.length,
        legalDocsSigned: lps.filter((lp) => lp.legalDocsSigned).length,
        wireReceived: lps.filter((lp) => lp.wireReceived).length,
        k1Sent: lps.filter((lp) => lp.k1Sent).length,
        totals: lpTotals(lps),
      },
      byInvestorType: lpGroups(lps, (lp) => lp.investorType),
      byOrganizationType: lpGroups(lps, (lp) => lp.organizationType),
      lps,
    };
  }

  async activity(query: ActivityQueryDto, now = new Date()): Promise<ActivityReportDto> {
    const days = query.days ?? 30;
    const from = utcDay(now, -(days - 1));
    const to = utcDay(now);
    const rows = await this.reports.activity(from, to);
    const count = (dimension: string, key: string): number =>
      rows.find((r) => r.dimension === dimension && r.key === key)?.count ?? 0;
    const byType = Object.values(CommunicationType).map((type) => ({
      key: type,
      label: type,
      count: count('type', type),
    }));
    return {
      from,
      to,
      days,
      total: byType.reduce((n, t) => n + t.count, 0),
      byUser: rows
        .filter((r) => r.dimension === 'user')
        .map((u) => ({ key: u.key, label: u.label ?? 'unknown', count: u.count })),
      byType,
      byDay: Array.from({ length: days }, (_, i) => {
        const date = utcDay(new Date(`${from}T00:00:00Z`), i);
        return { date, count: count('day', date) };
      }),
    };
  }
}
