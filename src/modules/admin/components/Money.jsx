// Money on lists and record pages: "$6,000,000" in the record's own currency, and nothing (not "NaN") when
// there is no amount. Editing keeps AdminJS's currency input.
import React from 'react';
import { ValueGroup } from '@adminjs/design-system';
import { useTranslation } from 'adminjs';

export const formatMoney = (value, currency) => {
  if (value === undefined || value === null || value === '') return '';
  const amount = Number(value);
  if (!Number.isFinite(amount)) return String(value);
  try {
    return new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency: currency || 'USD',
      minimumFractionDigits: Number.isInteger(amount) ? 0 : 2,
      maximumFractionDigits: 2,
    }).format(amount);
  } catch {
    return `${amount.toLocaleString('en-US', { maximumFractionDigits: 2 })} ${currency || ''}`.trim();
  }
};

/** "$34M", "€2.5M": for charts and cards, where the last dollar does not matter. */
export const compactMoney = (value, currency) => {
  const amount = Number(value);
  if (!Number.isFinite(amount)) return '';
  try {
    return new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency: currency || 'USD',
      notation: 'compact',
      maximumFractionDigits: 1,
    }).format(amount);
  } catch {
    return `${amount.toLocaleString('en-US', { notation: 'compact' })} ${currency || ''}`.trim();
  }
};

const Money = ({ record, property, resource, where }) => {
  const { translateProperty } = useTranslation();
  const text = formatMoney(record.params[property.path], record.params.currency);
  if (where !== 'show') return <span style={{ whiteSpace: 'nowrap' }}>{text}</span>;
  return <ValueGroup label={translateProperty(property.label, resource.id)}>{text || '—'}</ValueGroup>;
};

export default Money;
