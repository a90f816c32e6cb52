// "+ New …" under a form's reference or tag input: creates the record without leaving the form.
import React, { useState } from 'react';
import { Box, Button, FormMessage, Input } from '@adminjs/design-system';
import { ApiClient, useResource } from 'adminjs';

const api = new ApiClient();

/**
 * "+ New <record>" under a reference input (a contact's organization): types a name, creates the record
 * through its resource's "new" action — the same DTO, service and audit as its own form — and selects it,
 * without leaving the form being filled in. Shown only to those the resource's "new" action is open to (tags:
 * managers and admins).
 */
const CreateInline = ({ resourceId, noun, onCreated }) => {
  const mayCreate = (useResource(resourceId)?.resourceActions || []).some((a) => a.name === 'new');
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState('');
  const [sending, setSending] = useState(false);
  if (!mayCreate) return null;
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

export default CreateInline;
