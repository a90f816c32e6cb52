import { describe, expect, it } from '@jest/globals';

import { buildDigest, type DigestData } from './digest-content.js';
import { buildReminder } from './reminder-content.js';

const empty: DigestData = {
  recipient: { fullName: 'Ada Lovelace', email: 'ada@fund.example' },
  today: '2026-12-07',
  now: new Date('2026-12-07T07:00:00Z'),
  staleDays: 21,
  overdueTasks: [],
  dueTodayTasks: [],
  nextActions: [],
  quietDeals: [],
  stageChanges: [],
};

describe('buildDigest', () => {
  it('says nothing when there is nothing to say', () => {
    expect(buildDigest(empty)).toBeNull();
  });

  it('lists each section with counts in the subject, in HTML and plain text', () => {
    const mail = buildDigest({
      ...empty,
      overdueTasks: [
        {
          id: 't1',
          title: 'Send the Q3 letter',
          dueDate: '2026-12-04',
          priority: 'medium',
          about: 'Atlas Family Office',
        },
      ],
      dueTodayTasks: [
        { id: 't2', title: 'Call Maya', dueDate: '2026-12-07', priority: 'high', about: null },
        { id: 't3', title: 'Book the AGM room', dueDate: '2026-12-07', priority: 'low', about: null },
      ],
      nextActions: [
        {
          id: 'c1',
          action: 'Open the data room',
          dueDate: '2026-12-07',
          subject: 'Intro call',
          about: 'Maya Chen',
        },
      ],
      quietDeals: [
        {
          id: 'o1',
          name: 'Redwood re-up',
          stage: 'due_diligence',
          lastActivityAt: new Date('2026-11-01T10:00:00Z'),
          expectedAmount: 5_000_000,
          currency: 'USD',
        },
      ],
      stageChanges: [
        {
          opportunity: 'Summit',
          from: 'lead',
          to: 'meeting',
          at: new Date('2026-12-06T15:00:00Z'),
          by: 'Grant Ellis',
        },
      ],
    })!;
    expect(mail.subject).toBe(
      'venture-crm digest for Mon, Dec 7: 1 overdue task, 2 tasks due today, 1 next action, 1 quiet deal, 1 stage change',
    );
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('Send the Q3 letter');
      expect(part).toContain('Atlas Family Office');
      expect(part).toContain('Call Maya');
      expect(part).toContain('Open the data room');
      expect(part).toContain('Redwood re-up');
      expect(part).toContain('due diligence');
      expect(part).toContain('$5,000,000');
      expect(part).toContain('quiet for 35 days');
      expect(part).toContain('Summit');
      expect(part).toContain('Grant Ellis');
    }
    expect(mail.text).toContain('Call Maya [high priority]');
    expect(mail.text).toContain('Your open deals with no activity for 21+ days');
  });

  it('escapes every value in the HTML part and keeps it as typed in the text part', () => {
    const mail = buildDigest({
      ...empty,
      recipient: { fullName: 'Ada <b>Lovelace</b>', email: 'ada@fund.example' },
      dueTodayTasks: [
        {
          id: 't',
          title: '<script>alert(1)</script> & "more"',
          dueDate: '2026-12-07',
          priority: 'medium',
          about: "O'Brien & Sons",
        },
      ],
    })!;
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<b>Lovelace');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;');
    expect(mail.html).toContain('O&#39;Brien &amp; Sons');
    expect(mail.html).toContain('Ada &lt;b&gt;Lovelace&lt;/b&gt;');
    expect(mail.text).toContain('<script>alert(1)</script> & "more"');
  });
});

describe('buildReminder', () => {
  const task = {
    id: 't',
    title: 'Send <subscription> docs',
    description: 'Both signatures\nplus the W-9',
    dueDate: '2026-12-07',
    priority: 'high',
    about: 'Maya Chen · Atlas Family Office',
    assignee: { id: 'u', email: 'ada@fund.example', fullName: 'Ada' },
  };

  it('tells the assignee the task is due today, or overdue', () => {
    const today = buildReminder(task, '2026-12-07');
    expect(today.to).toBe('ada@fund.example');
    expect(today.subject).toBe('Task due today: Send <subscription> docs');
    expect(today.text).toContain('Both signatures\nplus the W-9');
    expect(today.html).toContain('Send &lt;subscription&gt; docs');
    expect(buildReminder(task, '2026-12-09').subject).toBe(
      'Task overdue (due Mon, Dec 7): Send <subscription> docs',
    );
  });
});
