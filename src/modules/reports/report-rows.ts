import type { UserRefDto } from '../../common/dto/refs.dto.js';
import { Priority } from '../../common/entities/enums.js';
import { money, moneyOrNull } from '../../common/utils/record-rows.js';
import { OpportunityStage, STAGE_ORDER } from '../opportunities/opportunity.entity.js';
import type {
  DealGroupDto,
  ReportFundDto,
  LpGroupDto,
  LpRowDto,
  LpTotalsDto,
  MoneyDto,
} from './dto/report-response.dto.js';
import type { FundRow, GroupRow, LpRow } from './reports.repository.js';

/** Plain SQL rows → report DTOs: pure functions, unit-tested beside this file. */

export const fundSummary = (f: FundRow): ReportFundDto => ({
  id: f.id,
  name: f.name,
  status: f.status,
  currency: f.currency,
  targetAmount: moneyOrNull(f.targetAmount),
  vintageYear: f.vintageYear,
});

export function userRefOf(row: Record<string, unknown>): UserRefDto | null {
  return row.userId
    ? { id: row.userId as string, username: row.username as string, fullName: row.fullName as string }
    : null;
}

export function refOfRow(row: Record<string, unknown>, prefix: string): { id: string; name: string } | null {
  const id = row[`${prefix}Id`];
  return id ? { id: id as string, name: row[`${prefix}Name`] as string } : null;
}

const FIXED_KEYS: Record<string, readonly string[]> = {
  stage: STAGE_ORDER,
  priority: [Priority.High, Priority.Medium, Priority.Low],
};

/**
 * Group rows of one dimension → one entry per key with its count over all currencies and its money per
 * currency. Stages and priorities are all listed (zeros included) in their natural order; owners as found.
 */
export function dealGroups(rows: GroupRow[], dimension: 'stage' | 'owner' | 'priority'): DealGroupDto[] {
  const groups = new Map<string | null, DealGroupDto>();
  for (const key of FIXED_KEYS[dimension] ?? []) groups.set(key, { key, label: key, count: 0, totals: [] });
  for (const row of rows.filter((r) => r.dimension === dimension)) {
    const group = groups.get(row.key) ?? {
      key: row.key,
      label: row.label ?? 'Unassigned',
      count: 0,
      totals: [],
    };
    group.count += row.count;
    group.totals.push({
      currency: row.currency,
      count: row.count,
      expected: money(row.expected),
      committed: money(row.committed),
      weighted: money(row.weighted),
    });
    groups.set(row.key, group);
  }
  return [...groups.values()];
}

/** Adds cents, not floats: sums of amounts with 2 decimals stay exact. */
const addCents = (a: number, b: number): number => Math.round(a * 100 + b * 100) / 100;

const CLOSED: readonly string[] = [OpportunityStage.Funded, OpportunityStage.Lost];

/**
 * Expected and weighted amounts of the open deals per currency, added up from the by-stage group rows (each
 * already a sum of amounts rounded to the cent): the same figures as summing the deals, without reading them
 * again.
 */
export function openPipeline(rows: GroupRow[]): { expected: MoneyDto[]; weighted: MoneyDto[] } {
  const totals = new Map<string, { expected: number; weighted: number }>();
  for (const row of rows) {
    if (row.dimension !== 'stage' || CLOSED.includes(row.key!)) continue;
    const t = totals.get(row.currency) ?? { expected: 0, weighted: 0 };
    t.expected = addCents(t.expected, money(row.expected));
    t.weighted = addCents(t.weighted, money(row.weighted));
    totals.set(row.currency, t);
  }
  const currencies = [...totals.keys()].sort();
  return {
    expected: currencies.map((currency) => ({ currency, amount: totals.get(currency)!.expected })),
    weighted: currencies.map((currency) => ({ currency, amount: totals.get(currency)!.weighted })),
  };
}

export function lpRow(r: LpRow): LpRowDto {
  const commitment = money(r.commitment);
  const funded = money(r.funded);
  return {
    id: r.id,
    contact: { id: r.contactId, name: r.contactName },
    contactDeleted: r.contactDeleted,
    organization: r.organizationId ? { id: r.organizationId, name: r.organizationName! } : null,
    organizationType: r.organizationType,
    fund: { id: r.fundId, name: r.fundName },
    investorType: r.investorType,
    currency: r.currency,
    commitment,
    funded,
    unfunded: addCents(commitment, -funded),
    commitmentDate: r.commitmentDate,
    legalDocsSigned: r.legalDocsSigned,
    wireReceived: r.wireReceived,
    k1Sent: r.k1Sent,
  };
}

/** Count, committed, funded and unfunded per currency (currencies in alphabetical order). */
export function lpTotals(lps: LpRowDto[]): LpTotalsDto[] {
  const totals = new Map<string, LpTotalsDto>();
  for (const lp of lps) {
    const t = totals.get(lp.currency) ?? {
      currency: lp.currency,
      count: 0,
      committed: 0,
      funded: 0,
      unfunded: 0,
    };
    t.count += 1;
    t.committed = addCents(t.committed, lp.commitment);
    t.funded = addCents(t.funded, lp.funded);
    t.unfunded = addCents(t.unfunded, lp.unfunded);
    totals.set(lp.currency, t);
  }
  return [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

/** LPs grouped by a field (null: not set, listed last), largest count first. */
export function lpGroups(lps: LpRowDto[], keyOf: (lp: LpRowDto) => string | null): LpGroupDto[] {
  const groups = new Map<string | null, LpRowDto[]>();
  for (const lp of lps) {
    const key = keyOf(lp);
    const members = groups.get(key) ?? [];
    members.push(lp);
    groups.set(key, members);
  }
  return [...groups.entries()]
    .map(([key, members]) => ({ key, count: members.length, totals: lpTotals(members) }))
    .sort((a, b) =>
      a.key === null ? 1 : b.key === null ? -1 : b.count - a.count || a.key.localeCompare(b.key),
    );
}

/** A ratio to 4 decimals, or null when there is nothing to divide by. */
export const ratio = (part: number, whole: number): number | null =>
  whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
