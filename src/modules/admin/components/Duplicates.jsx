// Duplicates and merge: the groups of likely duplicate contacts, two of them side by side, and a merge after a
// confirmation — through the page handler (admin/pages/duplicates.page.ts), i.e. the API's merge service.
import React, { useCallback, useEffect, useState } from 'react';
import { Box, Button, H2, MessageBox, Text } from '@adminjs/design-system';
import { useSelector } from 'react-redux';
import { failure, readPage, recordPath, writePage } from './page-api.js';
import { ConfirmDialog, Notice } from './admin-page-kit.jsx';

const PAGE_SIZE = 20;
const MAY_MERGE = ['manager', 'admin'];

const fullName = (c) => `${c.firstName} ${c.lastName}`.trim();
const day = (value) => (value ? String(value).slice(0, 10) : '');
const count = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/** The rows of the side-by-side view: what each contact has, and what the merge moves. */
const FIELDS = [
  ['Name', fullName],
  ['Email', (c) => c.email],
  ['Phone', (c) => c.phone],
  ['Mobile', (c) => c.mobile],
  ['Title', (c) => c.title],
  ['Organization', (c) => c.organization?.name],
  ['Owner', (c) => c.owner?.fullName],
  ['Type', (c) => c.contactType],
  ['Status', (c) => c.status],
  ['Source', (c) => c.source],
  ['Preferred contact', (c) => c.preferredContact],
  ['LinkedIn', (c) => c.linkedinUrl],
  ['Tags', (c) => c.tags.map((t) => t.name).join(', ')],
  ['Notes', (c) => c.notes],
  ['Communications', (c) => String(c.communicationsTotal)],
  ['Opportunities', (c) => String(c.opportunities.length)],
  ['LP profiles', (c) => c.lpProfiles.map((p) => p.fund?.name ?? '').join(', ') || '0'],
  ['Tasks', (c) => String(c.tasks.length)],
  ['Created', (c) => day(c.createdAt)],
];

const cell = { padding: '4px 10px', borderBottom: '1px solid #eef0f4', verticalAlign: 'top', fontSize: 13 };

const SideBySide = ({ pair, onSwap }) => {
  const [kept, source] = pair;
  return (
    <table
      style={{ width: '100%', borderCollapse: 'collapse', background: 'white' }}
      data-testid="side-by-side"
    >
      <thead>
        <tr>
          <th style={{ ...cell, width: 150 }} />
          <th style={{ ...cell, textAlign: 'left' }} scope="col">
            Keep: <a href={recordPath('contact', kept.id)}>{fullName(kept)}</a>
          </th>
          <th style={{ ...cell, textAlign: 'left' }} scope="col">
            Merge and delete: <a href={recordPath('contact', source.id)}>{fullName(source)}</a>{' '}
            <Button size="sm" variant="text" onClick={onSwap} data-testid="swap">
              Swap
            </Button>
          </th>
        </tr>
      </thead>
      <tbody>
        {FIELDS.map(([label, value]) => {
          const a = value(kept) || '';
          const b = value(source) || '';
          const differs = a !== b;
          return (
            <tr key={label}>
              <th scope="row" style={{ ...cell, textAlign: 'left', color: '#5c6b80', fontWeight: 500 }}>
                {label}
              </th>
              <td style={{ ...cell, background: differs ? '#fff8e6' : undefined, whiteSpace: 'pre-wrap' }}>
                {a || '—'}
              </td>
              <td style={{ ...cell, background: differs ? '#fff8e6' : undefined, whiteSpace: 'pre-wrap' }}>
                {b || '—'}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
};

/** "Are you sure?" with what the merge does, in words. */
const ConfirmMerge = ({ pair, onCancel, onConfirm, sending }) => {
  const [kept, source] = pair;
  return (
    <ConfirmDialog
      testId="merge-dialog"
      confirmTestId="merge-confirm"
      title={`Merge ${fullName(source)} into ${fullName(kept)}?`}
      confirmLabel="Merge"
      onCancel={onCancel}
      onConfirm={onConfirm}
      sending={sending}
    >
      {fullName(source)}’s {count(source.communicationsTotal, 'communication', 'communications')},{' '}
      {count(source.opportunities.length, 'opportunity', 'opportunities')},{' '}
      {count(source.tasks.length, 'task', 'tasks')} and{' '}
      {count(source.lpProfiles.length, 'LP profile', 'LP profiles')} move to {fullName(kept)}; tags are
      combined and {fullName(kept)}’s empty fields are filled in. Then {fullName(source)} is deleted (it stays
      under deleted records). This cannot be undone in one step.
    </ConfirmDialog>
  );
};

const Group = ({ group, onCompare }) => (
  <Box
    bg="white"
    p="lg"
    mb="default"
    style={{ borderRadius: 8, border: '1px solid #e3e7ee' }}
    data-testid="duplicate-group"
  >
    <Box flex justifyContent="space-between" alignItems="center" mb="sm">
      <Text style={{ fontSize: 13 }}>{group.explanation}</Text>
      <Button size="sm" variant="outlined" onClick={() => onCompare(group)} data-testid="compare">
        Compare
      </Button>
    </Box>
    {group.contacts.map((c, i) => (
      <Box key={c.id} flex style={{ gap: 16, fontSize: 13, padding: '3px 0' }}>
        <a href={recordPath('contact', c.id)} style={{ minWidth: 180 }}>
          {fullName(c)}
        </a>
        <span style={{ color: '#5c6b80', minWidth: 220 }}>{c.email ?? 'no email'}</span>
        <span style={{ color: '#5c6b80', minWidth: 180 }}>{c.organization?.name ?? 'no organization'}</span>
        <span style={{ color: '#5c6b80' }}>
          created {day(c.createdAt)}
          {i === 0 ? ' · oldest' : ''}
        </span>
      </Box>
    ))}
  </Box>
);

const Duplicates = () => {
  const role = useSelector((state) => state.session?.role);
  const [groups, setGroups] = useState(null);
  const [offset, setOffset] = useState(0);
  const [chosen, setChosen] = useState(null);
  const [pair, setPair] = useState(null);
  const [confirming, setConfirming] = useState(false);
  const [sending, setSending] = useState(false);
  const [notice, setNotice] = useState(null);

  const load = useCallback(
    () =>
      readPage('duplicates', { limit: PAGE_SIZE, offset, count: 'exact' })
        .then((data) => setGroups(data.groups))
        .catch((err) => setGroups({ error: failure(err).message })),
    [offset],
  );
  useEffect(() => {
    load();
  }, [load]);

  const compare = async (ids) => {
    setPair(null);
    setNotice(null);
    try {
      const data = await readPage('duplicates', { left: ids[0], right: ids[1] });
      setPair(data.pair);
    } catch (err) {
      setNotice({ variant: 'danger', text: failure(err).message });
    }
  };

  const choose = (group, ids = group.contacts.slice(0, 2).map((c) => c.id)) => {
    setChosen({ group, ids });
    compare(ids);
  };

  const merge = async () => {
    const [kept, source] = pair;
    setSending(true);
    try {
      const { data } = await writePage('duplicates', 'merge', { keptId: kept.id, sourceId: source.id });
      setNotice({
        variant: 'success',
        text: `${fullName(source)} was merged into ${fullName(data)}.`,
        keptId: data.id,
      });
      setPair(null);
      setChosen(null);
      await load();
    } catch (err) {
      setNotice({ variant: 'danger', text: failure(err).message });
    }
    setSending(false);
    setConfirming(false);
  };

  const mayMerge = MAY_MERGE.includes(role);
  const list = groups?.data ?? [];

  return (
    <Box p="lg" data-testid="duplicates-page">
      <H2 mb="sm">Duplicates</H2>
      <Text color="grey60" mb="lg" style={{ fontSize: 13 }}>
        Live contacts with the same email (ignoring case), and similar names within one organization.
      </Text>
      <Notice notice={notice} onClose={() => setNotice(null)}>
        {notice?.keptId ? <a href={recordPath('contact', notice.keptId)}>Open the merged contact</a> : null}
      </Notice>
      {chosen ? (
        <Box mb="xl" data-testid="compare-panel">
          <Box flex alignItems="center" justifyContent="space-between" mb="default" style={{ gap: 12 }}>
            <Text style={{ fontSize: 13 }}>{chosen.group.explanation}</Text>
            <Box flex alignItems="center" style={{ gap: 8 }}>
              {chosen.group.contacts.length > 2
                ? [0, 1].map((side) => (
                    <select
                      key={side}
                      aria-label={side === 0 ? 'Contact to keep' : 'Contact to merge'}
                      value={chosen.ids[side]}
                      onChange={(e) => {
                        const ids = [...chosen.ids];
                        ids[side] = e.target.value;
                        if (ids[0] !== ids[1]) choose(chosen.group, ids);
                      }}
                    >
                      {chosen.group.contacts.map((c) => (
                        <option key={c.id} value={c.id}>
                          {fullName(c)} · {c.email ?? 'no email'}
                        </option>
                      ))}
                    </select>
                  ))
                : null}
              {mayMerge ? null : (
                <Text color="grey60" style={{ fontSize: 13 }}>
                  Merging needs the manager or admin role.
                </Text>
              )}
              <Button
                size="sm"
                variant="contained"
                disabled={!mayMerge || !pair}
                onClick={() => setConfirming(true)}
                data-testid="merge"
              >
                {pair ? `Merge into ${fullName(pair[0])}…` : 'Merge…'}
              </Button>
              <Button size="sm" variant="text" onClick={() => (setChosen(null), setPair(null))}>
                Close
              </Button>
            </Box>
          </Box>
          {pair ? (
            <SideBySide pair={pair} onSwap={() => choose(chosen.group, [...chosen.ids].reverse())} />
          ) : (
            <Text>Loading the two contacts…</Text>
          )}
        </Box>
      ) : null}
      {groups === null ? (
        <Text data-testid="duplicates-loading">Looking for duplicates…</Text>
      ) : groups.error ? (
        <MessageBox variant="danger" message={groups.error} />
      ) : list.length === 0 ? (
        <Box
          bg="white"
          p="xl"
          style={{ borderRadius: 8, border: '1px solid #e3e7ee' }}
          data-testid="duplicates-empty"
        >
          <Text>No likely duplicates: every live contact looks unique.</Text>
        </Box>
      ) : (
        <>
          <Text mb="default" style={{ fontSize: 13 }} data-testid="duplicates-total">
            {groups.total} {groups.total === 1 ? 'group' : 'groups'}
          </Text>
          {list.map((group) => (
            <Group key={group.contacts.map((c) => c.id).join()} group={group} onCompare={choose} />
          ))}
          {groups.total > PAGE_SIZE ? (
            <Box flex justifyContent="space-between" mt="default">
              <Button
                size="sm"
                variant="outlined"
                disabled={offset === 0}
                onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
              >
                Previous
              </Button>
              <Text style={{ fontSize: 13 }}>
                {offset + 1}–{Math.min(offset + PAGE_SIZE, groups.total)} of {groups.total}
              </Text>
              <Button
                size="sm"
                variant="outlined"
                disabled={offset + PAGE_SIZE >= groups.total}
                onClick={() => setOffset(offset + PAGE_SIZE)}
              >
                Next
              </Button>
            </Box>
          ) : null}
        </>
      )}
      {confirming && pair ? (
        <ConfirmMerge pair={pair} sending={sending} onCancel={() => setConfirming(false)} onConfirm={merge} />
      ) : null}
    </Box>
  );
};

export default Duplicates;
