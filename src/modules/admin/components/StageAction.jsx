// "Move to next stage" on an opportunity's page: one button moves it on (lead → outreach → … → funded); "Mark
// as lost" asks for the reason first. Each sends a POST with what the page showed (its version), so a move
// made meanwhile by someone else is refused rather than overwritten.
import React, { useState } from 'react';
import { Box, Button, FormGroup, Label, MessageBox, Text, TextArea } from '@adminjs/design-system';
import { ApiClient, useActionResponseHandler } from 'adminjs';
import { humanize } from './ui.jsx';

const api = new ApiClient();
const ORDER = ['lead', 'outreach', 'meeting', 'due_diligence', 'committed', 'funded'];

const StageAction = ({ action, resource, record }) => {
  const [sending, setSending] = useState(false);
  const [failed, setFailed] = useState('');
  const [losing, setLosing] = useState(false);
  const [reason, setReason] = useState('');
  const onResponse = useActionResponseHandler();
  const stage = record?.params?.stage;
  const next = ORDER[ORDER.indexOf(stage) + 1];

  const send = async (data) => {
    setSending(true);
    setFailed('');
    try {
      const response = await api.recordAction({
        resourceId: resource.id,
        recordId: record.id,
        actionName: action.name,
        method: 'post',
        data: { ...data, version: record.params.version },
      });
      onResponse(response);
      if (response.data?.notice?.type === 'error') {
        setFailed(response.data.notice.message);
        setSending(false);
      }
    } catch (err) {
      setFailed(
        err?.response?.data?.message ?? 'The stage could not be changed. Reload the page and try again.',
      );
      setSending(false);
    }
  };

  return (
    <Box variant="white" p="xl" data-testid="stage-action">
      <Text mb="lg">
        Now at <strong>{humanize(stage)}</strong>.
      </Text>
      {failed ? <MessageBox mb="lg" variant="danger" message={failed} /> : null}
      {next && !losing ? (
        <Box flex style={{ gap: 12 }} mb="lg">
          <Button
            variant="contained"
            disabled={sending}
            onClick={() => send({ to: 'next' })}
            data-testid="move-next"
          >
            Move to {humanize(next)}
          </Button>
          <Button
            variant="outlined"
            disabled={sending}
            onClick={() => setLosing(true)}
            data-testid="mark-lost"
          >
            Mark as lost…
          </Button>
        </Box>
      ) : null}
      {losing ? (
        <Box
          as="form"
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim()) send({ to: 'lost', lostReason: reason.trim() });
          }}
        >
          <FormGroup>
            <Label htmlFor="lostReason" required>
              Why was it lost?
            </Label>
            <TextArea
              id="lostReason"
              width={1}
              rows={3}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              data-testid="lost-reason"
            />
          </FormGroup>
          <Box flex style={{ gap: 12 }}>
            <Button
              type="submit"
              variant="contained"
              disabled={sending || !reason.trim()}
              data-testid="confirm-lost"
            >
              Mark as lost
            </Button>
            <Button type="button" variant="text" onClick={() => setLosing(false)}>
              Cancel
            </Button>
          </Box>
        </Box>
      ) : null}
    </Box>
  );
};

export default StageAction;
