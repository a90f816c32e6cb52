// Small pieces the back office's own pages share: links inside the single-page app, section boxes, and the
// colours that carry meaning — every one at a contrast of at least 4.5:1 on white (WCAG AA for text).
import React from 'react';
import { Box, H5, Text } from '@adminjs/design-system';
import { Link } from 'react-router-dom';

export const COLORS = {
  text: '#0c1e29',
  muted: '#4b5563', // 7.6:1
  link: '#1f4e79', // 8.6:1
  late: '#b42318', // 6.5:1
  good: '#05603a', // 7.4:1
  border: '#d5dae3',
};

/** A record page of the back office: `/admin/resources/<resource>/records/<id>/show`. */
export const recordPath = (resource, id) =>
  `/admin/resources/${encodeURIComponent(resource)}/records/${encodeURIComponent(id)}/show`;

/** A resource's list with `filters` (name → value) set. */
export const listPath = (resource, filters = {}) => {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) query.set(`filters.${name}`, String(value));
  const search = query.toString();
  return `/admin/resources/${encodeURIComponent(resource)}${search ? `?${search}` : ''}`;
};

/** A link inside the app (no page reload). `to` is always a path this code built from ids. */
export const AppLink = ({ to, children, testId, style }) => (
  <Link to={to} data-testid={testId} style={{ color: COLORS.link, ...style }}>
    {children}
  </Link>
);

/** A link styled as a small outlined button. */
export const ButtonLink = ({ to, children, testId }) => (
  <Link
    to={to}
    data-testid={testId}
    style={{
      color: COLORS.link,
      border: `1px solid ${COLORS.link}`,
      borderRadius: 6,
      padding: '7px 12px',
      textDecoration: 'none',
      fontSize: 14,
      whiteSpace: 'nowrap',
      background: '#fff',
    }}
  >
    {children}
  </Link>
);

export const Section = ({ title, more, children, testId }) => (
  <Box
    data-testid={testId}
    p="lg"
    style={{
      flex: '1 1 380px',
      minWidth: 0,
      border: `1px solid ${COLORS.border}`,
      borderRadius: 8,
      background: '#fff',
    }}
  >
    <Box flex justifyContent="space-between" alignItems="baseline" mb="default">
      <H5 style={{ margin: 0 }}>{title}</H5>
      {more}
    </Box>
    {children}
  </Box>
);

export const Empty = ({ children }) => <Text style={{ color: COLORS.muted, fontSize: 14 }}>{children}</Text>;

export const Row = ({ children, testId }) => (
  <Box
    data-testid={testId}
    py="sm"
    flex
    justifyContent="space-between"
    style={{ gap: 12, borderBottom: '1px solid #eef0f4', fontSize: 14, lineHeight: 1.4 }}
  >
    {children}
  </Box>
);

/** `2026-12-03` → whole days from today (browser's calendar): negative when past. */
export const daysFromToday = (day) => {
  if (!day) return null;
  const [y, m, d] = String(day).slice(0, 10).split('-').map(Number);
  if (!y || !m || !d) return null;
  const now = new Date();
  const today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  return Math.round((Date.UTC(y, m - 1, d) - today) / 86_400_000);
};

/** "3 days late", "1 day late", or null when not late. */
export const lateText = (day) => {
  const days = daysFromToday(day);
  if (days === null || days >= 0) return null;
  return `${-days} day${days === -1 ? '' : 's'} late`;
};

/** `family_office` → `Family office`. */
export const humanize = (value) =>
  value ? String(value).charAt(0).toUpperCase() + String(value).slice(1).replace(/_/g, ' ') : '';

/** An instant as the browser's calendar day and time: "2026-12-03 14:05". */
export const when = (iso) => {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
};
