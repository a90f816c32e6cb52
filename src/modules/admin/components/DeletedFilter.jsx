// List filter for soft-deleted records: offered to managers and admins (the server ignores it for members).
import React from 'react';
import { FormGroup, Label, Select } from '@adminjs/design-system';
import { useCurrentAdmin } from 'adminjs';

const OPTIONS = [
  { value: '', label: 'Hide deleted (default)' },
  { value: 'include', label: 'Show deleted too' },
  { value: 'only', label: 'Only deleted' },
];

const DeletedFilter = ({ property, filter, onChange }) => {
  const [currentAdmin] = useCurrentAdmin();
  if (!currentAdmin || currentAdmin.role === 'member') return null;
  const value = filter[property.path] || '';
  return (
    <FormGroup>
      <Label>Deleted records</Label>
      <Select
        value={OPTIONS.find((o) => o.value === value)}
        options={OPTIONS}
        onChange={(selected) => onChange(property.path, selected ? selected.value : '')}
      />
    </FormGroup>
  );
};

export default DeletedFilter;
