import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

import { projectRoot } from '../src/common/utils/project-root.js';
import type { AppFigures, BenchResults, ScenarioResult } from './results-table.js';

/** What the benchmark prints: plain lines, with in-place progress when stdout is a terminal. */
const tty = Boolean(process.stdout.isTTY);

/** The code measured: the commit when the run started, and whether the working tree had changes. */
const COMMIT = ((): BenchResults['commit'] => {
  const git = (args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
  try {
    const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
    return { hash: git(['rev-parse', '--short', 'HEAD']), dirty };
  } catch {
    return { hash: 'unknown (not a git checkout)', dirty: false };
  }
})();
const STARTED = new Date().toISOString();
/** The one-minute load average when the run started (printed first, and kept in the JSON file). */
export const LOAD_AT_START = loadavg()[0];

/** Every line said, for the results file (progress updates are not kept). */
const transcript: string[] = [];

export function say(line = ''): void {
  transcript.push(line);
  process.stdout.write(tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
}

/**
 * Writes what the run printed to bench/results/<mode>.md, headed by the commit (marked when the working tree
 * had changes), the date and the machine, and the same with every figure of the table to
 * bench/results/<mode>.json, from which `npm run docs:bench` writes the README's figures. Returns the .md path.
 */
export async function writeResults(
  mode: string,
  table?: { scenarios: ScenarioResult[]; durationSeconds: number; warmupSeconds: number; app?: AppFigures },
): Promise<string> {
  const results: BenchResults = {
    mode,
    commit: COMMIT,
    date: STARTED,
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model.trim() ?? 'CPU',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    },
    load: { start: LOAD_AT_START, end: loadavg()[0] },
    scenarios: [],
    ...table,
    output: transcript,
  };
  const { machine } = results;
  const header = [
    `# npm run bench -- ${mode}`,
    '',
    `Commit ${COMMIT.hash}${COMMIT.dirty ? ' (with uncommitted changes)' : ''}, started ${STARTED}, ` +
      `${machine.cpus} × ${machine.model}, ${machine.memoryGiB} GiB, Node ${machine.node}.`,
    '',
  ];
  const dir = join(projectRoot(), 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${mode}.md`);
  await writeFile(file, [...header, ...transcript, ''].join('\n'));
  await writeFile(join(dir, `${mode}.json`), JSON.stringify(results, null, 2) + '\n');
  return file;
}

/**
 * A progress update: in a terminal it replaces the previous one. Elsewhere (CI logs, a pipe) only updates
 * marked `always` (each chunk of a long load) are printed, one per line.
 */
export function progress(line: string, always = false): void {
  if (tty) process.stdout.write(`\r\x1b[2K${line}`);
  else if (always) say(line);
}

/** A finished step with how long it took. */
export function finished(line: string, ms: number): void {
  say(`${line.padEnd(52)} ${(ms / 1000).toFixed(1).padStart(6)} s`);
}
