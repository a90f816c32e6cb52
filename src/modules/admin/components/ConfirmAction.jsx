// A record action that changes data (restore, revoke): the page asks, and only the button sends the change,
// as a POST. AdminJS would otherwise call such actions with a GET, which a cross-site link could trigger.
import React from 'react';
import { Box, Button, MessageBox, Text } from '@adminjs/design-system';
import { useRecordPost } from './record-post.js';

const ConfirmAction = ({ action, resource, record }) => {
  const { sending, failed, send } = useRecordPost(
    { action, resource, record },
    'The change could not be made. Reload the page and try again.',
  );
  const title = record?.title ?? '';
  const confirm = () => send({});
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
