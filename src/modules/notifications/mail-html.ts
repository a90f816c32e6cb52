import { escapeHtml } from '../../common/http/html.js';

/** HTML written by `html` below: the only kind of value it inserts without escaping. */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(typeof value === 'string' ? value : JSON.stringify(value));
}

/**
 * A template tag for mail HTML: every interpolated value is escaped, so a task titled `<script>` or a name
 * with `&` arrives as text. Nested `html` fragments and arrays of them are inserted as they are.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0];
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1];
  });
  return new SafeHtml(out);
}

/** A whole mail document: a heading, the body and a small print footer, styled inline for mail clients. */
export function mailDocument(title: string, body: SafeHtml, footer: string): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>${title}</title>
      </head>
      <body
        style="margin:0;padding:24px;background:#f6f7f9;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#1f2933;font-size:14px;line-height:1.5"
      >
        <div style="max-width:640px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">
          <h1 style="font-size:18px;margin:0 0 16px">${title}</h1>
          ${body}
          <p style="margin-top:24px;color:#7b8794;font-size:12px">${footer}</p>
        </div>
      </body>
    </html> `.value;
}

/** A section with a heading and list items; nothing when there are no items. */
export function section(heading: string, items: SafeHtml[]): SafeHtml {
  if (items.length === 0) return html``;
  return html`<h2 style="font-size:15px;margin:20px 0 8px">${heading}</h2>
    <ul style="margin:0;padding-left:20px">
      ${items.map((item) => html`<li style="margin:4px 0">${item}</li>`)}
    </ul> `;
}

/** The plain-text counterpart of `section`. */
export function textSection(heading: string, lines: string[]): string[] {
  if (lines.length === 0) return [];
  return ['', heading, '-'.repeat(heading.length), ...lines.map((line) => `- ${line}`)];
}

/** `2026-12-07` as `Mon, Dec 7` (a calendar day: no time zone shift). */
export function formatDay(day: string): string {
  return new Intl.DateTimeFormat('en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${day}T00:00:00Z`));
}

/** A moment in the server's time zone, as `Dec 5, 14:03`. */
export function formatMoment(at: Date): string {
  return new Intl.DateTimeFormat('en-US', {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

export function formatMoney(amount: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(
    amount,
  );
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
