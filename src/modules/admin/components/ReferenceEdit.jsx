// Every reference input of the forms (organization, owner, fund, …), replacing AdminJS's own: the current
// value is labelled from the record the page already has, instead of fetching the referenced record's page —
// which a member may not open (users) and which costs one request per field. Options come from the
// referenced resource's search, as before.
import React from 'react';
import { FormGroup, FormMessage, Label, SelectAsync } from '@adminjs/design-system';
import { ApiClient, flat, useTranslation } from 'adminjs';

import CreateInline from './create-inline.jsx';

const api = new ApiClient();

const ReferenceEdit = (props) => {
  const { record, property, resource, onChange, OriginalComponent } = props;
  const { translateProperty } = useTranslation();
  const selectedId = flat.get(record.params, property.path);
  const populated = record.populated && record.populated[property.path];
  if (selectedId && !populated && OriginalComponent) return <OriginalComponent {...props} />;

  const loadOptions = async (query) => {
    const records = await api.searchRecords({ resourceId: property.reference, query });
    return records.map((r) => ({ value: r.id, label: r.title, record: r }));
  };
  const handleChange = (option) => {
    if (option) onChange(property.path, option.value, option.record);
    else onChange(property.path, null);
  };
  const error = record.errors && record.errors[property.path];
  const value = selectedId ? { value: selectedId, label: populated.title } : null;
  const { createNew, ...selectProps } = property.props || {};
  return (
    <FormGroup error={Boolean(error)}>
      <Label htmlFor={property.path} required={property.isRequired}>
        {translateProperty(property.label, resource.id)}
      </Label>
      <SelectAsync
        inputId={property.path}
        cacheOptions
        defaultOptions
        value={value}
        loadOptions={loadOptions}
        onChange={handleChange}
        isClearable
        isDisabled={property.isDisabled}
        {...selectProps}
      />
      {createNew ? (
        <CreateInline
          resourceId={property.reference}
          noun={createNew}
          onCreated={(created) => onChange(property.path, created.id, created)}
        />
      ) : null}
      <FormMessage>{error && error.message}</FormMessage>
    </FormGroup>
  );
};

export default ReferenceEdit;
