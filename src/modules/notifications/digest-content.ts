import type { MailMessage } from '../mail/mail.service.js';
import {
  formatDay,
  formatMoment,
  formatMoney,
  html,
  mailDocument,
  plural,
  type SafeHtml,
  section,
  textSection,
} from './mail-html.js';

export interface DigestTask {
  id: string;
  title: string;
  dueDate: string;
  priority: string;
  /** The contact, organization or opportunity it is about, as one line; null when none. */
  about: string | null;
}

export interface DigestNextAction {
  id: string;
  action: string;
  dueDate: string;
  subject: string | null;
  about: string | null;
}

export interface DigestQuietDeal {
  id: string;
  name: string;
  stage: string;
  lastActivityAt: Date;
  expectedAmount: number | null;
  currency: string;
}

export interface DigestStageChange {
  opportunity: string;
  from: string;
  to: string;
  at: Date;
  by: string | null;
}

export interface DigestData {
  recipient: { fullName: string; email: string };
  /** The server's local date the digest is for (YYYY-MM-DD). */
  today: string;
  now: Date;
  staleDays: number;
  overdueTasks: DigestTask[];
  dueTodayTasks: DigestTask[];
  nextActions: DigestNextAction[];
  quietDeals: DigestQuietDeal[];
  stageChanges: DigestStageChange[];
}

const FOOTER =
  'You receive this digest because it is on for your account. To stop it, send PATCH /api/auth/me ' +
  'with {"digestEnabled": false}, or ask an admin.';

const DAY_MS = 86_400_000;

/** The counts a digest leads with, also used for its subject; empty when there is nothing to say. */
export function digestHeadline(data: DigestData): string[] {
  return [
    data.overdueTasks.length && plural(data.overdueTasks.length, 'overdue task'),
    data.dueTodayTasks.length && `${plural(data.dueTodayTasks.length, 'task')} due today`,
    data.nextActions.length && plural(data.nextActions.length, 'next action'),
    data.quietDeals.length && plural(data.quietDeals.length, 'quiet deal'),
    data.stageChanges.length && plural(data.stageChanges.length, 'stage change'),
  ].filter((part): part is string => Boolean(part));
}

/** The digest mail of one user for one day, or null when there is nothing to tell them. */
export function buildDigest(data: DigestData): Omit<MailMessage, 'to'> | null {
  const headline = digestHeadline(data);
  if (headline.length === 0) return null;
  const title = `Your venture-crm digest for ${formatDay(data.today)}`;
  const daysQuiet = (deal: DigestQuietDeal): number =>
    Math.floor((data.now.getTime() - deal.lastActivityAt.getTime()) / DAY_MS);
  const sections: { heading: string; html: SafeHtml[]; text: string[] }[] = [
    {
      heading: 'Overdue tasks',
      html: data.overdueTasks.map(
        (t) => html`<b>${t.title}</b> — due ${formatDay(t.dueDate)}${aboutHtml(t.about)}`,
      ),
      text: data.overdueTasks.map((t) => `${t.title} (due ${formatDay(t.dueDate)})${aboutText(t.about)}`),
    },
    {
      heading: 'Due today',
      html: data.dueTodayTasks.map(
        (t) => html`<b>${t.title}</b>${priorityHtml(t.priority)}${aboutHtml(t.about)}`,
      ),
      text: data.dueTodayTasks.map((t) => `${t.title}${priorityText(t.priority)}${aboutText(t.about)}`),
    },
    {
      heading: 'Next actions',
      html: data.nextActions.map(
        (a) =>
          html`<b>${a.action}</b> —
            ${formatDay(a.dueDate)}${a.subject ? html` (from “${a.subject}”)` : ''}${aboutHtml(a.about)}`,
      ),
      text: data.nextActions.map(
        (a) =>
          `${a.action} (${formatDay(a.dueDate)})${a.subject ? ` from "${a.subject}"` : ''}${aboutText(a.about)}`,
      ),
    },
    {
      heading: `Your open deals with no activity for ${data.staleDays}+ days`,
      html: data.quietDeals.map(
        (d) => html`<b>${d.name}</b> — ${stageLabel(d.stage)}${amount(d)}, quiet for ${daysQuiet(d)} days`,
      ),
      text: data.quietDeals.map(
        (d) => `${d.name}: ${stageLabel(d.stage)}${amount(d)}, quiet for ${daysQuiet(d)} days`,
      ),
    },
    {
      heading: 'Stage changes on your deals',
      html: data.stageChanges.map(
        (c) =>
          html`<b>${c.opportunity}</b>: ${stageLabel(c.from)} → ${stageLabel(c.to)}
            (${formatMoment(c.at)}${c.by ? `, by ${c.by}` : ''})`,
      ),
      text: data.stageChanges.map(
        (c) =>
          `${c.opportunity}: ${stageLabel(c.from)} -> ${stageLabel(c.to)} (${formatMoment(c.at)}${c.by ? `, by ${c.by}` : ''})`,
      ),
    },
  ];
  const greeting = `Hello ${data.recipient.fullName}: ${headline.join(', ')}.`;
  const body = html`<p>${greeting}</p>
    ${sections.map((s) => section(s.heading, s.html))}`;
  const text = [
    title,
    '',
    greeting,
    ...sections.flatMap((s) => textSection(s.heading, s.text)),
    '',
    '--',
    FOOTER,
  ];
  return {
    subject: `venture-crm digest for ${formatDay(data.today)}: ${headline.join(', ')}`,
    text: `${text.join('\n')}\n`,
    html: mailDocument(title, body, FOOTER),
  };
}

/** `due_diligence` as `due diligence`. */
export const stageLabel = (stage: string): string => stage.replace(/_/g, ' ');

const amount = (deal: DigestQuietDeal): string =>
  deal.expectedAmount === null ? '' : `, ${formatMoney(deal.expectedAmount, deal.currency)}`;

const priorityText = (priority: string): string => (priority === 'high' ? ' [high priority]' : '');
const priorityHtml = (priority: string): SafeHtml =>
  priority === 'high' ? html` <span style="color:#c62828">high priority</span>` : html``;

const aboutText = (about: string | null): string => (about ? ` — ${about}` : '');
const aboutHtml = (about: string | null): SafeHtml =>
  about ? html`<br /><span style="color:#52606d">${about}</span>` : html``;
