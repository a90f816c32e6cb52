// Every hit of a search (/admin/pages/search?q=…): where the top bar's search box sends Enter.
import React, { useEffect, useState } from 'react';
import { Box, H2, MessageBox, Text } from '@adminjs/design-system';
import { useLocation, useNavigate } from 'react-router';
import { Highlighted, TYPE_LABELS } from './GlobalSearch.jsx';
import { failure, readPage, recordPath } from './page-api.js';

const MAX_HITS = 50;

const SearchPage = () => {
  const location = useLocation();
  const navigate = useNavigate();
  const q = new URLSearchParams(location.search).get('q') ?? '';
  const [text, setText] = useState(q);
  const [result, setResult] = useState(null);

  useEffect(() => {
    setText(q);
    if (q.trim().length < 2) {
      setResult({ hits: [] });
      return;
    }
    setResult(null);
    readPage('search', { q: q.trim(), limit: MAX_HITS })
      .then((data) => setResult({ hits: data.data }))
      .catch((err) => setResult({ error: failure(err).message }));
  }, [q]);

  const submit = (event) => {
    event.preventDefault();
    navigate(`/admin/pages/search?q=${encodeURIComponent(text.trim())}`);
  };

  return (
    <Box p="lg" data-testid="search-page">
      <H2 mb="default">Search</H2>
      <form onSubmit={submit} role="search" style={{ marginBottom: 16 }}>
        <input
          type="search"
          aria-label="Search"
          value={text}
          maxLength={200}
          onChange={(e) => setText(e.target.value)}
          style={{ width: 420, height: 36, padding: '0 12px', border: '1px solid #c9d1dc', borderRadius: 6 }}
        />
      </form>
      {q.trim().length < 2 ? (
        <Text color="grey60">Type at least two characters.</Text>
      ) : result === null ? (
        <Text>Searching…</Text>
      ) : result.error ? (
        <MessageBox variant="danger" message={result.error} />
      ) : result.hits.length === 0 ? (
        <Text color="grey60" data-testid="search-empty">
          Nothing found for “{q}”.
        </Text>
      ) : (
        <Box bg="white" style={{ borderRadius: 8, border: '1px solid #e3e7ee' }}>
          {result.hits.map((hit) => (
            <a
              key={`${hit.type}-${hit.id}`}
              href={recordPath(hit.type, hit.id)}
              data-testid="search-page-hit"
              onClick={(e) => {
                e.preventDefault();
                navigate(recordPath(hit.type, hit.id));
              }}
              style={{
                display: 'block',
                padding: '10px 16px',
                borderBottom: '1px solid #f0f2f5',
                color: 'inherit',
                textDecoration: 'none',
              }}
            >
              <span style={{ fontSize: 11, color: '#5c6b80', marginRight: 8, textTransform: 'uppercase' }}>
                {TYPE_LABELS[hit.type]}
              </span>
              <span style={{ color: '#1f4e79', fontWeight: 500 }}>
                <Highlighted text={hit.title} query={q} />
              </span>
              {hit.subtitle ? <div style={{ fontSize: 12, color: '#5c6b80' }}>{hit.subtitle}</div> : null}
            </a>
          ))}
        </Box>
      )}
    </Box>
  );
};

export default SearchPage;
