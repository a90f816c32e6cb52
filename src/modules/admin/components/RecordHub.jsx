// The top of a contact's or an organization's page: the name as the page's title, the day's actions (log a
// call or meeting, add a task, new opportunity — each opens the form filled in with this record and comes
// back here after saving), then open tasks, the timeline of communications, opportunities and LP
// commitments inline. The rows come from the show action's after-hook (record-hub.ts).
import React from 'react';
import { Badge, Box, H2, Text } from '@adminjs/design-system';
import { formatMoney } from './Money.jsx';
import { DueDate } from './TaskDue.jsx';
import {
  AppLink,
  ButtonLink,
  COLORS,
  Empty,
  humanize,
  listPath,
  recordPath,
  Row,
  Section,
  when,
} from './ui.jsx';

/** The new-record form of `resource`, filled in with `params`, coming back to `back` after saving. */
const newFormPath = (resource, params, back) => {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) query.set(name, String(value));
  query.set('redirectUrl', back);
  return `/admin/resources/${encodeURIComponent(resource)}/actions/new?${query.toString()}`;
};

const Tasks = ({ tasks, all }) => (
  <Section
    title={`Open tasks (${tasks.length}${tasks.length >= 10 ? '+' : ''})`}
    testId="hub-tasks"
    more={<AppLink to={all}>All tasks</AppLink>}
  >
    {tasks.length === 0 ? <Empty>No open tasks.</Empty> : null}
    {tasks.map((t) => (
      <Row key={t.id} testId="hub-task">
        <AppLink to={recordPath('Task', t.id)}>{t.title}</AppLink>
        <Box style={{ textAlign: 'right', flexShrink: 0 }}>
          <DueDate day={t.dueDate} open testId="hub-task-due" />
          {t.assignee ? <Text style={{ color: COLORS.muted, fontSize: 12 }}>{t.assignee}</Text> : null}
        </Box>
      </Row>
    ))}
  </Section>
);

const Timeline = ({ communications, all, showContact }) => (
  <Section
    title="Timeline"
    testId="hub-timeline"
    more={all ? <AppLink to={all}>All communications</AppLink> : null}
  >
    {communications.length === 0 ? <Empty>No communications logged yet.</Empty> : null}
    {communications.map((c) => (
      <Row key={c.id} testId="hub-communication">
        <Box style={{ minWidth: 0 }}>
          <AppLink to={recordPath('Communication', c.id)}>{c.subject || humanize(c.type)}</AppLink>
          <Text style={{ color: COLORS.muted, fontSize: 12 }}>
            {humanize(c.type)}
            {showContact && c.contact ? ` · ${c.contact}` : ''}
            {c.nextAction
              ? ` · next: ${c.nextAction}${c.nextActionDate ? ` (${c.nextActionDate})` : ''}`
              : ''}
          </Text>
        </Box>
        <Text style={{ color: COLORS.muted, fontSize: 13, whiteSpace: 'nowrap' }}>{when(c.date)}</Text>
      </Row>
    ))}
  </Section>
);

const Opportunities = ({ opportunities, all }) => (
  <Section title="Opportunities" testId="hub-opportunities" more={<AppLink to={all}>All</AppLink>}>
    {opportunities.length === 0 ? <Empty>No opportunities.</Empty> : null}
    {opportunities.map((o) => (
      <Row key={o.id} testId="hub-opportunity">
        <AppLink to={recordPath('Opportunity', o.id)}>{o.name}</AppLink>
        <Box flex alignItems="center" style={{ gap: 8, flexShrink: 0 }}>
          <Badge size="sm" style={{ background: '#e3ecf5', color: COLORS.link, border: 0 }}>
            {humanize(o.stage)}
          </Badge>
          <span>{formatMoney(o.expectedAmount, o.currency)}</span>
        </Box>
      </Row>
    ))}
  </Section>
);

const Commitments = ({ commitments, all, showContact }) => (
  <Section
    title="LP commitments"
    testId="hub-commitments"
    more={all ? <AppLink to={all}>All</AppLink> : null}
  >
    {commitments.length === 0 ? <Empty>No LP commitments.</Empty> : null}
    {commitments.map((l) => (
      <Row key={l.id} testId="hub-commitment">
        <AppLink to={recordPath('LpProfile', l.id)}>
          {l.fund}
          {showContact ? ` · ${l.contact}` : ''}
        </AppLink>
        <Text style={{ fontSize: 14, whiteSpace: 'nowrap' }}>
          {formatMoney(l.commitmentAmount, l.currency)} committed · {formatMoney(l.fundedAmount, l.currency)}{' '}
          funded ·{' '}
          <span style={{ color: l.wireReceived ? COLORS.good : COLORS.late }}>
            {l.wireReceived ? 'wired' : 'not wired'}
          </span>
        </Text>
      </Row>
    ))}
  </Section>
);

const Contacts = ({ contacts, all }) => (
  <Section title="Contacts" testId="hub-contacts" more={<AppLink to={all}>All contacts</AppLink>}>
    {contacts.length === 0 ? <Empty>No contacts yet.</Empty> : null}
    {contacts.map((c) => (
      <Row key={c.id} testId="hub-contact">
        <AppLink to={recordPath('Contact', c.id)}>{c.name}</AppLink>
        <Text style={{ color: COLORS.muted, fontSize: 13 }}>{c.title || ''}</Text>
      </Row>
    ))}
  </Section>
);

const RecordHub = ({ record, resource }) => {
  let hub = null;
  try {
    hub = JSON.parse(record.params.hub || 'null');
  } catch {
    hub = null;
  }
  if (!hub) return null;
  const id = record.id;
  const here = recordPath(resource.id, id);
  const isContact = hub.kind === 'contact';
  const organization = isContact ? record.params.organization : id;
  const organizationName = isContact ? record.populated?.organization?.title : null;
  const link = isContact ? { contact: id } : { organization: id };
  const title = record.params.name || record.title;
  const subtitle = isContact
    ? [record.params.title, organizationName].filter(Boolean).join(' · ')
    : humanize(record.params.type);
  const canWrite = (record.recordActions || []).some((a) => a.name === 'edit');
  return (
    <Box mb="xl" data-testid="record-hub">
      <Box
        flex
        justifyContent="space-between"
        alignItems="flex-start"
        flexWrap="wrap"
        style={{ gap: 16 }}
        mb="lg"
      >
        <Box>
          <H2 data-testid="record-title" style={{ marginBottom: 4 }}>
            {title}
          </H2>
          {subtitle ? <Text style={{ color: COLORS.muted }}>{subtitle}</Text> : null}
        </Box>
        {canWrite ? (
          <Box flex flexWrap="wrap" style={{ gap: 8 }} data-testid="hub-actions">
            {isContact ? (
              <>
                <ButtonLink
                  testId="log-call"
                  to={newFormPath('Communication', { contact: id, type: 'call' }, here)}
                >
                  Log a call
                </ButtonLink>
                <ButtonLink
                  testId="log-meeting"
                  to={newFormPath('Communication', { contact: id, type: 'meeting' }, here)}
                >
                  Log a meeting
                </ButtonLink>
              </>
            ) : (
              <ButtonLink testId="add-contact" to={newFormPath('Contact', { organization: id }, here)}>
                Add contact
              </ButtonLink>
            )}
            <ButtonLink testId="add-task" to={newFormPath('Task', { ...link, organization }, here)}>
              Add task
            </ButtonLink>
            <ButtonLink
              testId="new-opportunity"
              to={newFormPath('Opportunity', { ...link, organization, name: isContact ? '' : title }, here)}
            >
              New opportunity
            </ButtonLink>
          </Box>
        ) : null}
      </Box>
      <Box flex flexWrap="wrap" style={{ gap: 16 }} mb="lg">
        <Tasks tasks={hub.tasks} all={listPath('Task', link)} />
        <Timeline
          communications={hub.communications}
          showContact={!isContact}
          all={isContact ? listPath('Communication', link) : null}
        />
      </Box>
      <Box flex flexWrap="wrap" style={{ gap: 16 }}>
        {isContact ? null : <Contacts contacts={hub.contacts} all={listPath('Contact', link)} />}
        <Opportunities opportunities={hub.opportunities} all={listPath('Opportunity', link)} />
        <Commitments
          commitments={hub.commitments}
          showContact={!isContact}
          all={isContact ? listPath('LpProfile', link) : null}
        />
      </Box>
    </Box>
  );
};

export default RecordHub;
