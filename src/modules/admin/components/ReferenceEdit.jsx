// Every reference input of the forms (organization, owner, fund, …), replacing AdminJS's own: the current
// value is labelled from the record the page already has, instead of fetching the referenced record's page —
// which a member may not open (users) and which costs one request per field. Options come from the
// referenced resource's search, as before.
import React, { useState } from 'react';
import { Box, Button, FormGroup, FormMessage, Input, Label, SelectAsync } from '@adminjs/design-system';
import { ApiClient, flat, useTranslation } from 'adminjs';

const api = new ApiClient();

/**
 * "+ New <record>" under a reference input (a contact's organization): types a name, creates the record
 * through its resource's "new" action — the same DTO, service and audit as its own form — and selects it,
 * without leaving the form being filled in.
 */
const CreateInline = ({ resourceId, noun, onCreated }) => {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState('');
  const [sending, setSending] = useState(false);
  if (!open) {
    return (
      <Button
        type="button"
        variant="text"
        size="sm"
        onClick={() => setOpen(true)}
        data-testid={`create-${resourceId}`}
      >
        + New {noun}
      </Button>
    );
  }
  const create = async () => {
    setSending(true);
    setError('');
    try {
      const response = await api.resourceAction({
        resourceId,
        actionName: 'new',
        method: 'post',
        data: { name: name.trim() },
      });
      const record = response.data?.record;
      const errors = record?.errors || {};
      if (record?.id && Object.keys(errors).length === 0) {
        onCreated(record);
        setOpen(false);
        setName('');
      } else {
        setError(
          errors.name?.message
            ? `Name ${errors.name.message}`
            : (response.data?.notice?.message ?? 'Not created'),
        );
      }
    } catch (err) {
      setError(err?.response?.data?.message ?? `The ${noun} could not be created`);
    }
    setSending(false);
  };
  return (
    <Box flex alignItems="center" style={{ gap: 8 }} mt="sm">
      <Input
        value={name}
        placeholder={`Name of the new ${noun}`}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            if (name.trim()) create();
          }
        }}
        data-testid={`create-${resourceId}-name`}
        style={{ flex: 1 }}
      />
      <Button
        type="button"
        size="sm"
        disabled={sending || !name.trim()}
        onClick={create}
        data-testid={`create-${resourceId}-save`}
      >
        Create
      </Button>
      <Button type="button" size="sm" variant="text" onClick={() => setOpen(false)}>
        Cancel
      </Button>
      {error ? <FormMessage>{error}</FormMessage> : null}
    </Box>
  );
};

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
