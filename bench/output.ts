import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

import { projectRoot } from '../src/common/utils/project-root.js';

/** What the benchmark prints: plain lines, with in-place progress when stdout is a terminal. */
const tty = Boolean(process.stdout.isTTY);

/** The code measured: the commit when the run started (marked when the working tree had changes). */
const COMMIT = ((): string => {
  const git = (args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
  try {
    const dirty = git(['status', '--porcelain', '--untracked-files=no']) ? ' (with uncommitted changes)' : '';
    return git(['rev-parse', '--short', 'HEAD']) + dirty;
  } catch {
    return 'unknown (not a git checkout)';
  }
})();
const STARTED = new Date().toISOString();

/** Every line said, for the results file (progress updates are not kept). */
const transcript: string[] = [];

export function say(line = ''): void {
  transcript.push(line);
  process.stdout.write(tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
}

/**
 * Writes what the run printed to bench/results/<mode>.md, headed by the commit (marked when the working tree
 * had changes), the date and the machine: the README quotes its figures from these files.
 */
export async function writeResults(mode: string): Promise<string> {
  const header = [
    `# npm run bench -- ${mode}`,
    '',
    `Commit ${COMMIT}, started ${STARTED}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
    '',
  ];
  const dir = join(projectRoot(), 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${mode}.md`);
  await writeFile(file, [...header, ...transcript, ''].join('\n'));
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
