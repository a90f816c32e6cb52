// "Move to next stage" on an opportunity's page: one button moves it on (lead → outreach → … → funded); "Mark
// as lost" asks for the reason first. Each sends a POST with what the page showed (its version), so a move
// made meanwhile by someone else is refused rather than overwritten.
import React, { useState } from 'react';
import { Box, Button, FormGroup, Label, MessageBox, Text, TextArea } from '@adminjs/design-system';
import { useRecordPost } from './record-post.js';
import { humanize } from './ui.jsx';

const ORDER = ['lead', 'outreach', 'meeting', 'due_diligence', 'committed', 'funded'];

const StageAction = ({ action, resource, record }) => {
  const post = useRecordPost(
    { action, resource, record },
    'The stage could not be changed. Reload the page and try again.',
    { stayOnErrorNotice: true },
  );
  const { sending, failed } = post;
  const [losing, setLosing] = useState(false);
  const [reason, setReason] = useState('');
  const stage = record?.params?.stage;
  const next = ORDER[ORDER.indexOf(stage) + 1];
  const send = (data) => post.send({ ...data, version: record.params.version });

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
