// Record pages: "Deleted at" and "Deleted by" appear only on a deleted record (in red), not as two empty
// labels at the bottom of every live one.
import React from 'react';
import { ValueGroup } from '@adminjs/design-system';
import { useTranslation } from 'adminjs';

const pad = (n) => String(n).padStart(2, '0');
const when = (value) => {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

const WhenSet = ({ record, property, resource }) => {
  const { translateProperty } = useTranslation();
  const value = record.params[property.path];
  if (value === undefined || value === null || value === '') return null;
  const populated = record.populated && record.populated[property.path];
  const text = populated ? populated.title : property.type === 'datetime' ? when(value) : String(value);
  return (
    <ValueGroup label={translateProperty(property.label, resource.id)}>
      <span style={{ color: '#b42318', fontWeight: 500 }}>{text}</span>
    </ValueGroup>
  );
};

export default WhenSet;
