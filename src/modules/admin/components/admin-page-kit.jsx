// Building blocks of the back office's own pages (Backups, Job runs): a titled panel, a table with loading and
// empty states, an error message, status badges.
import React, { useEffect, useRef } from 'react';
import {
  Box,
  Button,
  H2,
  Loader,
  MessageBox,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Text,
} from '@adminjs/design-system';

export const PageFrame = ({ title, intro, testId, actions, children }) => (
  <Box p={['lg', 'xxl']} data-testid={testId}>
    <Box
      flex
      justifyContent="space-between"
      alignItems="center"
      mb="lg"
      style={{ gap: 16, flexWrap: 'wrap' }}
    >
      <Box>
        <H2 mb="sm">{title}</H2>
        {intro ? <Text color="grey60">{intro}</Text> : null}
      </Box>
      {actions}
    </Box>
    {children}
  </Box>
);

export const Problem = ({ text }) =>
  text ? <MessageBox mb="lg" variant="danger" message={text} data-testid="page-error" role="alert" /> : null;

/** A page's notice after a write (`{ variant, text }`), read out as it changes, closed by its button. */
export const Notice = ({ notice, onClose, testId, children }) => (
  <div aria-live="polite">
    {notice ? (
      <MessageBox
        mb="default"
        variant={notice.variant}
        message={notice.text}
        onCloseClick={onClose}
        data-testid={testId}
      >
        {children}
      </MessageBox>
    ) : null}
  </div>
);

/**
 * columns: [{ key, label, render(row) }]. `rows` undefined while loading: a spinner; empty: `empty` text.
 */
export const DataTable = ({ columns, rows, empty, rowKey = (r) => r.id, testId }) => {
  if (rows === undefined) return <Loader />;
  if (rows.length === 0) {
    return (
      <Box
        bg="white"
        p="xl"
        style={{ borderRadius: 8, border: '1px solid #e3e7ee' }}
        data-testid={`${testId}-empty`}
      >
        <Text color="grey60">{empty}</Text>
      </Box>
    );
  }
  return (
    <Box bg="white" style={{ borderRadius: 8, border: '1px solid #e3e7ee', overflowX: 'auto' }}>
      <Table data-testid={testId}>
        <TableHead>
          <TableRow>
            {columns.map((c) => (
              <TableCell key={c.key}>{c.label}</TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((row) => (
            <TableRow key={rowKey(row)}>
              {columns.map((c) => (
                <TableCell key={c.key}>{c.render ? c.render(row) : String(row[c.key] ?? '')}</TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
};

/** Under a table that lists only the newest rows: how many of how many. */
export const NewestShown = ({ shown, total }) =>
  total > shown ? (
    <Text color="grey60" mt="sm">
      Showing the newest {shown} of {total}.
    </Text>
  ) : null;

/** "6 Dec 2026, 02:30" in the browser's time zone. */
export const when = (iso) =>
  iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : '—';

/** Statuses with colours that carry meaning at a readable contrast (text on a light tint). */
const STATUS_STYLE = {
  success: { color: '#14532d', background: '#dcfce7' },
  failed: { color: '#7f1d1d', background: '#fee2e2' },
  running: { color: '#1e3a8a', background: '#dbeafe' },
  skipped: { color: '#374151', background: '#e5e7eb' },
  interrupted: { color: '#78350f', background: '#fef3c7' },
};

export const StatusBadge = ({ status, label }) => (
  <span
    data-status={status}
    style={{
      ...(STATUS_STYLE[status] || STATUS_STYLE.skipped),
      padding: '2px 8px',
      borderRadius: 10,
      fontSize: 12,
      fontWeight: 600,
      whiteSpace: 'nowrap',
    }}
  >
    {label || status}
  </span>
);

/** A fund to look at: `value` the picked id, else the fund the page shows. Nothing when there is no fund. */
export const FundPicker = ({ funds, value, onChange, testId }) =>
  funds.length > 0 ? (
    <label style={{ fontSize: 13, color: '#4b5563' }}>
      Fund{' '}
      <select
        data-testid={testId}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        style={{ marginLeft: 6, padding: '6px 8px', borderRadius: 4, border: '1px solid #c0c8d2' }}
      >
        {funds.map((f) => (
          <option key={f.id} value={f.id}>
            {f.name} ({f.status})
          </option>
        ))}
      </select>
    </label>
  ) : null;

/** The dimmed backdrop behind a page's dialogs (confirm merge, lost reason). */
export const BACKDROP_STYLE = {
  position: 'fixed',
  inset: 0,
  background: 'rgba(28, 36, 48, 0.45)',
  display: 'flex',
  alignItems: 'center',
  justifyContent: 'center',
  zIndex: 1000,
};

/**
 * "Are you sure?" with what will happen, in words (`children`): focus starts on Cancel; Escape or Cancel does
 * nothing; only the confirm button (`variant`, default danger) sends the change.
 */
export const ConfirmDialog = ({
  title,
  children,
  confirmLabel,
  onCancel,
  onConfirm,
  sending,
  testId,
  confirmTestId = `${testId}-confirm`,
}) => {
  const cancel = useRef(null);
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div role="presentation" onKeyDown={(e) => e.key === 'Escape' && onCancel()} style={BACKDROP_STYLE}>
      <div
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={`${testId}-title`}
        aria-describedby={`${testId}-text`}
        data-testid={testId}
        style={{ background: 'white', borderRadius: 8, padding: 24, width: 480, maxWidth: '90vw' }}
      >
        <h2 id={`${testId}-title`} style={{ fontSize: 18, margin: '0 0 8px' }}>
          {title}
        </h2>
        <p id={`${testId}-text`} style={{ fontSize: 14, lineHeight: 1.5, margin: '0 0 16px' }}>
          {children}
        </p>
        <Box flex justifyContent="flex-end" style={{ gap: 8 }}>
          <Button type="button" variant="outlined" ref={cancel} onClick={onCancel}>
            Cancel
          </Button>
          <Button
            type="button"
            variant="danger"
            onClick={onConfirm}
            disabled={sending}
            data-testid={confirmTestId}
          >
            {confirmLabel}
          </Button>
        </Box>
      </div>
    </div>
  );
};
