// Every list's table (AdminJS's own, registered under its name), with above it: preset filters people use
// ("My open tasks", "Overdue", "Not wired", "No activity in 30 days") and the active filters as chips, each
// removable. Presets and chips only change the list's URL, as the filter drawer does.
import React, { useEffect, useState } from 'react';
import { Box } from '@adminjs/design-system';
import { ApiClient, useCurrentAdmin, useQueryParams, useTranslation } from 'adminjs';
import { COLORS } from './ui.jsx';

const api = new ApiClient();

/** The presets of a resource's list, given the signed-in user's id. */
const PRESETS = {
  Task: (me) => [
    { id: 'my-open-tasks', label: 'My open tasks', filters: { assignee: me, status: 'open' } },
    { id: 'overdue', label: 'Overdue', filters: { due: 'overdue' } },
    { id: 'due-today', label: 'Due today', filters: { due: 'today' } },
    { id: 'with-done', label: 'Include done tasks', filters: { doneTasks: 'include' } },
  ],
  Contact: (me) => [
    { id: 'my-contacts', label: 'My contacts', filters: { owner: me } },
    { id: 'quiet', label: 'No activity in 30 days', filters: { activity: 'quiet30' } },
  ],
  Organization: () => [{ id: 'quiet', label: 'No activity in 30 days', filters: { activity: 'quiet30' } }],
  Opportunity: (me) => [{ id: 'my-opportunities', label: 'My opportunities', filters: { owner: me } }],
  LpProfile: () => [
    { id: 'not-wired', label: 'Not wired', filters: { wireReceived: 'false' } },
    { id: 'docs-unsigned', label: 'Legal docs not signed', filters: { legalDocsSigned: 'false' } },
  ],
};

const sameFilters = (a, b) => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => String(a[k]) === String(b[k]));
};

const pill = (active) => ({
  display: 'inline-flex',
  alignItems: 'center',
  gap: 6,
  border: `1px solid ${active ? COLORS.link : COLORS.border}`,
  background: active ? '#e3ecf5' : '#fff',
  color: active ? COLORS.link : COLORS.text,
  borderRadius: 16,
  padding: '5px 12px',
  fontSize: 13,
  cursor: 'pointer',
  lineHeight: 1.3,
});

/** "dueDate~~from" → ["dueDate", "from"]. */
const splitKey = (key) => {
  const [path, bound] = key.split('~~');
  return [path, bound];
};

/** Titles of referenced records in the filters (an organization's name), fetched once each. */
function useReferenceTitles(resource, filters, me) {
  const [titles, setTitles] = useState({});
  useEffect(() => {
    for (const [key, value] of Object.entries(filters)) {
      const property = resource.properties[splitKey(key)[0]];
      const id = String(value);
      if (!property?.reference || id === me || titles[id] !== undefined) continue;
      setTitles((t) => ({ ...t, [id]: null }));
      api
        .recordAction({ resourceId: property.reference, recordId: id, actionName: 'show' })
        .then((res) => setTitles((t) => ({ ...t, [id]: res.data?.record?.title ?? 'a record' })))
        .catch(() => setTitles((t) => ({ ...t, [id]: 'a record' })));
    }
  }, [resource.id, JSON.stringify(filters)]);
  return titles;
}

const ListFilters = ({ resource }) => {
  const { filters = {}, storeParams } = useQueryParams();
  const [admin] = useCurrentAdmin();
  const { translateProperty } = useTranslation();
  const me = admin?.id;
  const titles = useReferenceTitles(resource, filters, me);
  const presets = PRESETS[resource.id] ? PRESETS[resource.id](me) : [];
  const set = (next) => storeParams({ filters: next, page: '1' });

  const valueText = (key, value) => {
    const [path, bound] = splitKey(key);
    const property = resource.properties[path];
    const text = String(value);
    let shown = text;
    if (property?.availableValues) {
      shown = property.availableValues.find((v) => String(v.value) === text)?.label ?? text;
    } else if (property?.type === 'boolean') shown = text === 'true' ? 'Yes' : 'No';
    else if (property?.reference) shown = text === me ? 'me' : (titles[text] ?? '…');
    else if (bound) shown = text.slice(0, 10);
    return bound ? `${bound} ${shown}` : shown;
  };
  const labelOf = (key) => {
    const property = resource.properties[splitKey(key)[0]];
    return property ? translateProperty(property.label, resource.id) : splitKey(key)[0];
  };
  const active = Object.entries(filters);
  const doneHidden = resource.id === 'Task' && !('status' in filters) && !('doneTasks' in filters);
  if (presets.length === 0 && active.length === 0) return null;
  return (
    <Box mb="lg" data-testid="list-filters">
      {presets.length > 0 ? (
        <Box
          flex
          flexWrap="wrap"
          alignItems="center"
          style={{ gap: 8 }}
          mb={active.length || doneHidden ? 'default' : 0}
        >
          <span style={{ color: COLORS.muted, fontSize: 13 }}>Quick filters:</span>
          {presets.map((p) => {
            const on = sameFilters(p.filters, filters);
            return (
              <button
                key={p.id}
                type="button"
                data-testid={`preset-${p.id}`}
                aria-pressed={on}
                style={pill(on)}
                onClick={() => set(on ? {} : p.filters)}
              >
                {p.label}
              </button>
            );
          })}
          {doneHidden ? (
            <span style={{ color: COLORS.muted, fontSize: 13 }} data-testid="done-hidden-note">
              Done tasks are hidden.
            </span>
          ) : null}
        </Box>
      ) : null}
      {active.length > 0 ? (
        <Box flex flexWrap="wrap" alignItems="center" style={{ gap: 8 }} data-testid="filter-chips">
          <span style={{ color: COLORS.muted, fontSize: 13 }}>Filtered by:</span>
          {active.map(([key, value]) => (
            <span key={key} style={pill(true)} data-testid={`chip-${key}`}>
              <span>
                {labelOf(key)}: <strong style={{ fontWeight: 500 }}>{valueText(key, value)}</strong>
              </span>
              <button
                type="button"
                aria-label={`Remove the filter ${labelOf(key)}`}
                title="Remove this filter"
                data-testid={`remove-chip-${key}`}
                onClick={() => set(Object.fromEntries(active.filter(([k]) => k !== key)))}
                style={{
                  border: 0,
                  background: 'none',
                  color: COLORS.link,
                  cursor: 'pointer',
                  fontSize: 15,
                  padding: 0,
                }}
              >
                ×
              </button>
            </span>
          ))}
          <button
            type="button"
            data-testid="clear-filters"
            onClick={() => set({})}
            style={{
              border: 0,
              background: 'none',
              color: COLORS.link,
              cursor: 'pointer',
              fontSize: 13,
              textDecoration: 'underline',
            }}
          >
            Clear all
          </button>
        </Box>
      ) : null}
    </Box>
  );
};

const RecordsTable = (props) => {
  const { OriginalComponent, ...rest } = props;
  return (
    <>
      {rest.resource ? <ListFilters resource={rest.resource} /> : null}
      <OriginalComponent {...rest} />
    </>
  );
};

export default RecordsTable;
