// The choices of a select or multi-select custom field: one per line on the form (AdminJS's array editor
// gives every choice its own numbered box), chips on the record page. Other field types have none.
import React, { useEffect, useState } from 'react';
import { Badge, Box, FormGroup, FormMessage, Text, TextArea, ValueGroup } from '@adminjs/design-system';
import { flat, PropertyLabel, useTranslation } from 'adminjs';

const SELECT_TYPES = ['select', 'multi_select'];
const lines = (text) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

const OptionsList = ({ property, record, onChange, where }) => {
  const { tm } = useTranslation();
  const stored = flat.get(record.params || {}, property.path) || [];
  const [text, setText] = useState(() => stored.join('\n'));
  const fieldType = record.params && record.params.fieldType;
  const applies = SELECT_TYPES.includes(fieldType);
  useEffect(() => {
    if (where === 'edit' && fieldType && !applies && stored.length > 0) onChange(property.path, []);
  }, [fieldType]);

  if (where !== 'edit') {
    return (
      <ValueGroup label={property.label}>
        <Box flex flexWrap="wrap" style={{ gap: 4 }}>
          {stored.length === 0 ? (
            <span style={{ color: '#8a94a6' }}>—</span>
          ) : (
            stored.map((o) => (
              <Badge key={o} size="sm" variant="primary" outline>
                {o}
              </Badge>
            ))
          )}
        </Box>
      </ValueGroup>
    );
  }
  if (!applies) return null;
  const error = record.errors && (record.errors[property.path] || record.errors[`${property.path}.0`]);
  return (
    <FormGroup error={!!error}>
      <PropertyLabel property={{ ...property, isRequired: true }} />
      <TextArea
        id={property.path}
        name={property.path}
        rows={Math.min(Math.max(stored.length + 1, 3), 10)}
        width={1}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          onChange(property.path, lines(e.target.value));
        }}
      />
      <Text mt="sm" fontSize="sm" color="grey60">
        One choice per line, in the order the form offers them.
      </Text>
      <FormMessage>{error && tm(error.message, property.resourceId)}</FormMessage>
    </FormGroup>
  );
};

export default OptionsList;
