// A record action that changes data (restore, revoke): the page asks, and only the button sends the change,
// as a POST. AdminJS would otherwise call such actions with a GET, which a cross-site link could trigger.
import React, { useState } from 'react';
import { Box, Button, MessageBox, Text } from '@adminjs/design-system';
import { ApiClient, useActionResponseHandler } from 'adminjs';

const api = new ApiClient();

const ConfirmAction = ({ action, resource, record }) => {
  const [sending, setSending] = useState(false);
  const [failed, setFailed] = useState('');
  const onResponse = useActionResponseHandler();
  const title = record?.title ?? '';
  const confirm = async () => {
    setSending(true);
    setFailed('');
    try {
      const response = await api.recordAction({
        resourceId: resource.id,
        recordId: record.id,
        actionName: action.name,
        method: 'post',
        data: {},
      });
      onResponse(response);
    } catch (err) {
      setFailed(
        err?.response?.data?.message ?? 'The change could not be made. Reload the page and try again.',
      );
      setSending(false);
    }
  };
  return (
    <Box variant="white" p="xl" data-testid="confirm-action">
      <Text mb="lg">{action.guard || `${action.label}: ${title}?`}</Text>
      {failed ? <MessageBox mb="lg" variant="danger" message={failed} /> : null}
      <Button variant="contained" onClick={confirm} disabled={sending} data-testid="confirm-action-button">
        {action.label}
      </Button>
    </Box>
  );
};

export default ConfirmAction;
