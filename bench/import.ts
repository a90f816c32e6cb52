import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';

import { startApp } from './app-process.js';
import { cli, peakRss } from './backup.js';
import { say } from './output.js';

/** Contacts in the import file: with an organization (a few thousand distinct names) and tags each. */
export const IMPORT_CONTACTS = 50_000;
const IMPORT_ORGANIZATIONS = 5_000;

const FIRST = ['Dana', 'Morgan', 'Chris', 'Alex', 'Sam', 'Robin', 'Jo', 'Pat', 'Lee', 'Ana'];
const LAST = ['Ruiz', 'Stone', 'Kim', 'Hart', 'Quinn', 'Lima', 'Doe', 'Shaw', 'Park', 'Vega'];

/** An Airtable-like export of IMPORT_CONTACTS contacts: money, dates, checkboxes, multi-selects, linked names. */
function contactsCsv(): string {
  const lines = ['Name,Email Address,Company,Type,Tags,Phone Number,Job Title,Notes'];
  for (let n = 0; n < IMPORT_CONTACTS; n++) {
    const name = `${FIRST[n % 10]} ${LAST[Math.floor(n / 10) % 10]}${n}`;
    // A linked-record cell as Airtable writes it: a name with a comma is quoted inside the cell (one name).
    const org =
      n % 7 === 0
        ? `""Import Org ${n % IMPORT_ORGANIZATIONS}, LLC""`
        : `Import Org ${n % IMPORT_ORGANIZATIONS}`;
    const tags = `"Import ${n % 20}, Fund II Prospect"`;
    lines.push(
      `${name}, Import${n}@Bench-Import.example ,"${org}",${n % 3 ? 'Prospect' : 'Investor'},${tags},+1 555 ${String(n).padStart(7, '0')},Partner,"Met at ""Demo Day"" ${n}"`,
    );
  }
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

async function signIn(base: string, user: { username: string; password: string }): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(user),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/**
 * `npm run bench -- import`: 50k contacts with organizations and tags imported through the CLI (time, peak
 * memory), then the filled database's 1M communications exported as CSV through the API, sampling the app's
 * memory while it streams (it must stay flat).
 */
export async function importBench(
  databaseUrl: string,
  work: string,
  user: { username: string; password: string },
): Promise<void> {
  const secrets = {
    JWT_SECRET: randomBytes(48).toString('base64url'),
    ENCRYPTION_KEY: randomBytes(48).toString('base64url'),
  };
  const file = join(work, 'contacts-50k.csv');
  await writeFile(file, contactsCsv());
  const env = { ...secrets, DATABASE_URL: databaseUrl, DATA_DIR: join(work, 'data-import') };
  const loadBefore = loadavg()[0];
  const imported = await cli('import 50k contacts', ['import', file, '--entity', 'contact'], env);
  say(imported.output.trim());
  // The machine is shared: what else ran during the import weighs on its time.
  const loadAfter = loadavg()[0];
  say(`Load average (1 min) ${loadBefore.toFixed(1)} before the import, ${loadAfter.toFixed(1)} after it.`);

  const app = await startApp(databaseUrl, work, join(work, 'app.log'));
  try {
    const token = await signIn(app.base, user);
    const before = peakRss(app.pid);
    const samples: number[] = [];
    const sampler = setInterval(() => {
      const rss = app.rssMb();
      if (rss !== undefined) samples.push(rss);
    }, 250);
    const started = Date.now();
    const res = await fetch(`${app.base}/api/export/communications?format=csv`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (res.status !== 200 || !res.body) throw new Error(`export failed: ${res.status}`);
    let bytes = 0;
    let lines = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const b of chunk) if (b === 10) lines++;
    }
    clearInterval(sampler);
    const seconds = (Date.now() - started) / 1000;
    const after = peakRss(app.pid);
    const tenth = samples.slice(0, Math.max(1, Math.floor(samples.length / 10)));
    const lastTenth = samples.slice(-Math.max(1, Math.floor(samples.length / 10)));
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    say();
    say('| step | seconds | figure |');
    say('| --- | ---: | --- |');
    say(
      `| CLI import of ${IMPORT_CONTACTS.toLocaleString('en-US')} contacts | ${imported.seconds.toFixed(1)} | CLI peak RSS ${imported.peakRssMb?.toFixed(0) ?? 'n/a'} MB; load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} |`,
    );
    say(
      `| API export of communications (CSV) | ${seconds.toFixed(1)} | ${(bytes / 1024 / 1024).toFixed(0)} MB, ${lines.toLocaleString('en-US')} lines; ` +
        `app RSS first tenth ${avg(tenth).toFixed(0)} MB, last tenth ${avg(lastTenth).toFixed(0)} MB, peak ${before?.toFixed(0)} MB before → ${after?.toFixed(0)} MB after |`,
    );
  } finally {
    await app.stop();
  }
}
