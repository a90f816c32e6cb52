import type { EntityManager } from '@mikro-orm/postgresql';

import { Fund } from '../../funds/fund.entity.js';
import { DefaultFundQueryDto } from '../../reports/dto/report-query.dto.js';
import type { AdminServices } from '../admin-services.js';
import { pageHandler, pageInput } from './page-kit.js';

/** The funds a page offers to pick from, latest vintage first. */
export async function fundChoices(
  em: EntityManager,
): Promise<{ id: string; name: string; status: string }[]> {
  const funds = await em.find(
    Fund,
    {},
    { fields: ['name', 'status'], orderBy: { vintageYear: 'desc', name: 'asc' } },
  );
  return funds.map((f) => ({ id: f.id, name: f.name, status: f.status }));
}

/**
 * The LP tracker (components/LpTracker.jsx): one fund's LPs as GET /api/reports/lp-breakdown?fundId= answers
 * them (commitment, funded, unfunded, docs, wire, K-1; totals per currency), and the re-up targets of
 * GET /api/reports/fund-progress. Default fund: the raising one. Its CSV is the report's own download
 * (/admin/reports/lp-breakdown.csv, managers and admins, audited as an export).
 */
export const lpTrackerPage = (s: AdminServices, em: () => EntityManager) =>
  pageHandler({
    read: async (query) => {
      const { fundId } = await pageInput(DefaultFundQueryDto, query, 'query');
      const fund = await s.reports.fundOrRaising(fundId);
      const [funds, breakdown, progress] = await Promise.all([
        fundChoices(em()),
        fund ? s.reports.lpBreakdown(fund.id) : null,
        fund ? s.pipelineAnalytics.fundProgress(fund.id) : null,
      ]);
      return { funds, fund: progress?.fund ?? null, breakdown, reUpTargets: progress?.reUpTargets ?? [] };
    },
  });
