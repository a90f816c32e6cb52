import type { MailMessage } from '../mail/mail.service.js';
import { formatDay, html, mailDocument } from './mail-html.js';

export interface DueTask {
  id: string;
  title: string;
  description: string | null;
  dueDate: string;
  priority: string;
  about: string | null;
  assignee: { id: string; email: string; fullName: string };
}

const FOOTER =
  'You receive task reminders because they are on for your account. To stop them, send PATCH /api/auth/me ' +
  'with {"remindersEnabled": false}, or ask an admin.';

/** The reminder for a task that has fallen due (today, or earlier if it was not reminded then). */
export function buildReminder(task: DueTask, today: string): MailMessage {
  const when = task.dueDate === today ? 'due today' : `overdue (due ${formatDay(task.dueDate)})`;
  const title = `Task ${when}: ${task.title}`;
  const facts = [
    `Due: ${formatDay(task.dueDate)}`,
    `Priority: ${task.priority}`,
    ...(task.about ? [`About: ${task.about}`] : []),
  ];
  const body = html`<p>Hello ${task.assignee.fullName}, this task of yours is ${when}.</p>
    <p style="font-size:16px"><b>${task.title}</b></p>
    <p>${facts.map((fact, i) => html`${i > 0 ? html`<br />` : ''}${fact}`)}</p>
    ${task.description ? html`<p style="white-space:pre-wrap;color:#52606d">${task.description}</p>` : ''}`;
  const text = [
    title,
    '',
    `Hello ${task.assignee.fullName}, this task of yours is ${when}.`,
    '',
    task.title,
    ...facts,
    ...(task.description ? ['', task.description] : []),
    '',
    '--',
    FOOTER,
  ];
  return {
    to: task.assignee.email,
    subject: title,
    text: `${text.join('\n')}\n`,
    html: mailDocument(title, body, FOOTER),
  };
}
