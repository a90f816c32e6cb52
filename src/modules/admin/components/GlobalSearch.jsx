// The search box of the top bar: contacts, organizations, opportunities and communications at once, through
// the `search` page handler (SearchService, as GET /api/search). A combobox: type two letters, ↑/↓ to choose,
// Enter to open (or, with nothing chosen, every hit on the Search page), Escape to close.
import React, { useEffect, useId, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { failure, readPage, recordPath } from './page-api.js';

export const TYPE_LABELS = {
  contact: 'Contact',
  organization: 'Organization',
  opportunity: 'Opportunity',
  communication: 'Communication',
};

const SUGGESTIONS = 8;
const DELAY_MS = 200;

/** A hit's title with the typed words in bold: React elements, so nothing in a record is read as HTML. */
export const Highlighted = ({ text, query }) => {
  const words = query
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w.length > 1);
  if (words.length === 0) return text;
  const lower = text.toLowerCase();
  const parts = [];
  let at = 0;
  while (at < text.length) {
    let next = -1;
    let word = '';
    for (const w of words) {
      const i = lower.indexOf(w, at);
      if (i !== -1 && (next === -1 || i < next)) [next, word] = [i, w];
    }
    if (next === -1) break;
    if (next > at) parts.push(text.slice(at, next));
    parts.push(
      <strong key={next} style={{ fontWeight: 700 }}>
        {text.slice(next, next + word.length)}
      </strong>,
    );
    at = next + word.length;
  }
  parts.push(text.slice(at));
  return parts;
};

const GlobalSearch = () => {
  const navigate = useNavigate();
  const id = useId();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState([]);
  const [state, setState] = useState('idle'); // idle | loading | done | error
  const [error, setError] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const asked = useRef(0);

  useEffect(() => {
    const q = query.trim();
    if (q.length < 2) {
      setHits([]);
      setState('idle');
      return undefined;
    }
    const ticket = ++asked.current;
    setState('loading');
    const timer = setTimeout(() => {
      readPage('search', { q, limit: SUGGESTIONS })
        .then((data) => {
          if (ticket !== asked.current) return;
          setHits(data.data);
          setActive(-1);
          setState('done');
        })
        .catch((err) => {
          if (ticket !== asked.current) return;
          setError(failure(err).message);
          setState('error');
        });
    }, DELAY_MS);
    return () => clearTimeout(timer);
  }, [query]);

  const go = (path) => {
    setOpen(false);
    setActive(-1);
    navigate(path);
  };
  const openHit = (hit) => {
    setQuery('');
    go(recordPath(hit.type, hit.id));
  };
  const showAll = () =>
    query.trim().length >= 2 && go(`/admin/pages/search?q=${encodeURIComponent(query.trim())}`);

  const onKeyDown = (event) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(i + 1, hits.length - 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((i) => Math.max(i - 1, -1));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (active >= 0 && hits[active]) openHit(hits[active]);
      else showAll();
    } else if (event.key === 'Escape') {
      if (open) setOpen(false);
      else setQuery('');
      setActive(-1);
    }
  };

  const listId = `${id}-results`;
  const expanded = open && query.trim().length >= 2;
  return (
    <div
      style={{ position: 'relative', flex: '1 1 auto', maxWidth: 520, margin: '0 24px' }}
      data-testid="global-search"
    >
      <input
        type="search"
        role="combobox"
        aria-label="Search contacts, organizations, opportunities and communications"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? `${id}-hit-${active}` : undefined}
        placeholder="Search contacts, organizations, deals, notes…"
        value={query}
        maxLength={200}
        autoComplete="off"
        onChange={(e) => {
          setQuery(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKeyDown}
        style={{
          width: '100%',
          height: 36,
          padding: '0 12px',
          border: '1px solid #c9d1dc',
          borderRadius: 6,
          fontSize: 14,
          background: '#f7f9fb',
        }}
      />
      {expanded ? (
        <div
          style={{
            position: 'absolute',
            top: 40,
            left: 0,
            right: 0,
            background: 'white',
            border: '1px solid #dfe3ea',
            borderRadius: 6,
            boxShadow: '0 8px 24px rgba(28, 36, 48, 0.18)',
            zIndex: 2000,
            maxHeight: 420,
            overflowY: 'auto',
          }}
        >
          <ul
            id={listId}
            role="listbox"
            aria-label="Search results"
            style={{ listStyle: 'none', margin: 0, padding: 0 }}
          >
            {hits.map((hit, i) => (
              <li
                key={`${hit.type}-${hit.id}`}
                id={`${id}-hit-${i}`}
                role="option"
                aria-selected={i === active}
                data-testid="search-hit"
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => openHit(hit)}
                onMouseEnter={() => setActive(i)}
                style={{
                  padding: '8px 12px',
                  cursor: 'pointer',
                  background: i === active ? '#e3ecf5' : 'white',
                  borderBottom: '1px solid #f0f2f5',
                }}
              >
                <div style={{ fontSize: 14 }}>
                  <span
                    style={{ fontSize: 11, color: '#5c6b80', marginRight: 8, textTransform: 'uppercase' }}
                  >
                    {TYPE_LABELS[hit.type]}
                  </span>
                  <Highlighted text={hit.title} query={query} />
                </div>
                {hit.subtitle ? <div style={{ fontSize: 12, color: '#5c6b80' }}>{hit.subtitle}</div> : null}
              </li>
            ))}
          </ul>
          <div style={{ padding: '8px 12px', fontSize: 12, color: '#5c6b80' }} aria-live="polite">
            {state === 'loading' ? 'Searching…' : null}
            {state === 'error' ? error : null}
            {state === 'done' && hits.length === 0 ? 'Nothing found.' : null}
            {state === 'done' && hits.length > 0 ? (
              <a
                href={`/admin/pages/search?q=${encodeURIComponent(query.trim())}`}
                onMouseDown={(e) => e.preventDefault()}
                onClick={(e) => {
                  e.preventDefault();
                  showAll();
                }}
              >
                All results for “{query.trim()}” (Enter)
              </a>
            ) : null}
          </div>
        </div>
      ) : null}
    </div>
  );
};

export default GlobalSearch;
