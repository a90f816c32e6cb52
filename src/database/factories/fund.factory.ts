import { Fund, FundStatus } from '../../modules/funds/fund.entity.js';
import { type FactoryOptions, seqOf } from './sequence.js';
import type { EntityManager, Overrides } from './types.js';

export function fundFactory(em: EntityManager, data: Overrides<Fund> = {}, options?: FactoryOptions): Fund {
  const seq = seqOf(options);
  return em.create(Fund, {
    name: `Fund ${seq}`,
    targetAmount: 50_000_000 + (seq % 10) * 10_000_000,
    vintageYear: 2015 + (seq % 12),
    status: FundStatus.Raising,
    ...data,
  });
}
