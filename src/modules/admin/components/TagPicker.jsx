// Forms: tags as one multi-select (type to find a tag, click × to drop one) instead of AdminJS's list of
// numbered single selects with "Add new item". Managers can create a tag from here ("+ New tag").
import React, { useCallback, useMemo, useState } from 'react';
import { FormGroup, FormMessage, Label, SelectAsync } from '@adminjs/design-system';
import { ApiClient, flat, useTranslation } from 'adminjs';

import CreateInline from './create-inline.jsx';

const api = new ApiClient();

const TagPicker = ({ record, property, resource, onChange }) => {
  const { translateProperty } = useTranslation();
  const selected = useMemo(() => {
    const ids = flat.get(record.params, property.path) || [];
    return ids.filter(Boolean).map((id, i) => {
      const populated = record.populated && record.populated[`${property.path}.${i}`];
      return { value: id, label: populated ? populated.title : id };
    });
  }, [record, property.path]);

  // What is typed belongs to the picker, not to react-select: the form re-renders while it loads (the record
  // set again, custom fields and reference labels arriving) and a blur or menu close on the way would clear
  // it. Only choosing a tag or the user's own editing changes it.
  const [typed, setTyped] = useState('');
  const handleInputChange = useCallback((value, { action }) => {
    if (action === 'input-change' || action === 'set-value') setTyped(action === 'set-value' ? '' : value);
  }, []);

  const loadOptions = useCallback(
    async (query) => {
      const records = await api.searchRecords({ resourceId: property.reference, query });
      return records.map((r) => ({ value: r.id, label: r.title, record: r }));
    },
    [property.reference],
  );

  const handleChange = (options) => {
    const chosen = options || [];
    // Keep the chosen tags' titles with the record, so the picker can show them after the change.
    const populated = { ...(record.populated || {}) };
    Object.keys(populated)
      .filter((key) => key.startsWith(`${property.path}.`))
      .forEach((key) => delete populated[key]);
    chosen.forEach((o, i) => {
      populated[`${property.path}.${i}`] = o.record || { id: o.value, title: o.label, params: {} };
    });
    const params = flat.set(
      record.params,
      property.path,
      chosen.map((o) => o.value),
    );
    onChange({ ...record, params, populated });
  };

  const error = record.errors && record.errors[property.path];
  return (
    <FormGroup error={Boolean(error)}>
      <Label htmlFor={property.path}>{translateProperty(property.label, resource.id)}</Label>
      <SelectAsync
        inputId={property.path}
        isMulti
        cacheOptions
        defaultOptions
        value={selected}
        inputValue={typed}
        onInputChange={handleInputChange}
        loadOptions={loadOptions}
        onChange={handleChange}
        placeholder="Choose tags…"
        isDisabled={property.isDisabled}
      />
      {property.isDisabled ? null : (
        <CreateInline
          resourceId={property.reference}
          noun="tag"
          onCreated={(tag) => handleChange([...selected, { value: tag.id, label: tag.title, record: tag }])}
        />
      )}
      <FormMessage>{error && error.message}</FormMessage>
    </FormGroup>
  );
};

export default TagPicker;
