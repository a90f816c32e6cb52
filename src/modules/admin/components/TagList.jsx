// Tags as coloured chips (AdminJS shows an array of references as "Length: 2" in lists).
import React from 'react';
import { Box, ValueGroup } from '@adminjs/design-system';
import { useTranslation } from 'adminjs';

const Chip = ({ tag }) => (
  <span
    style={{
      background: (tag.params && tag.params.color) || '#64748b',
      color: '#fff',
      borderRadius: 10,
      padding: '2px 8px',
      fontSize: 12,
      lineHeight: '18px',
      whiteSpace: 'nowrap',
    }}
  >
    {tag.title}
  </span>
);

const TagList = ({ record, property, resource, where }) => {
  const { translateProperty } = useTranslation();
  const prefix = `${property.path}.`;
  const tags = Object.keys(record.populated || {})
    .filter((key) => key.startsWith(prefix))
    .sort((a, b) => Number(a.slice(prefix.length)) - Number(b.slice(prefix.length)))
    .map((key) => record.populated[key])
    .filter(Boolean);
  const chips = (
    <Box flex flexWrap="wrap" style={{ gap: 4 }}>
      {tags.length === 0 ? (
        <span style={{ color: '#8a94a6' }}>—</span>
      ) : (
        tags.map((tag) => <Chip key={tag.id} tag={tag} />)
      )}
    </Box>
  );
  if (where !== 'show') return chips;
  return <ValueGroup label={translateProperty(property.label, resource.id)}>{chips}</ValueGroup>;
};

export default TagList;
