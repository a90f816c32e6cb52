import { Fund, FundStatus } from '../../modules/funds/fund.entity.js';
import { defineFactory } from './types.js';

export const fundFactory = defineFactory<Fund>((em, data, seq) => {
  return em.create(Fund, {
    name: `Fund ${seq}`,
    targetAmount: 50_000_000 + (seq % 10) * 10_000_000,
    vintageYear: 2015 + (seq % 12),
    status: FundStatus.Raising,
    ...data,
  });
});
