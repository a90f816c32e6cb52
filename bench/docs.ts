import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { projectRoot } from '../src/common/utils/project-root.js';
import { type BenchResults, readmeSection, replaceMarked } from './results-table.js';

/**
 * `npm run docs:bench`: regenerates the README's benchmark figures between `<!-- bench:<mode>:start -->` and
 * `<!-- bench:<mode>:end -->` from bench/results/<mode>.json, for every mode that has both.
 */
/** The modes with a scenario table (backup and import print tables of their own, kept in their JSON's output). */
const MODES = ['api', 'reports'];

const readmeFile = join(projectRoot(), 'README.md');
let readme = await readFile(readmeFile, 'utf8');
for (const mode of MODES) {
  const file = join(projectRoot(), 'bench', 'results', `${mode}.json`);
  if (!existsSync(file)) continue;
  const results = JSON.parse(await readFile(file, 'utf8')) as BenchResults;
  const next = replaceMarked(readme, mode, readmeSection(results));
  if (next === undefined) {
    process.stdout.write(`README.md has no bench:${mode} markers: ${mode}.json not quoted\n`);
    continue;
  }
  readme = next;
  process.stdout.write(`README.md: ${mode} figures from bench/results/${mode}.json\n`);
}
await writeFile(readmeFile, readme);
