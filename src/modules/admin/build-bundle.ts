/**
 * `npm run build` step: bundles the back office's React components (admin-components.ts) with AdminJS's
 * own bundler settings into dist/adminjs/components.bundle.js. At run time the app only serves that file,
 * so it starts from a read-only install and never runs rollup.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import {
  COMPONENT_FILES,
  type ComponentId,
  componentSource,
  componentsBundlePath,
} from './admin-components.js';

/** The part of AdminJS's bundler (`adminjs/bundler`, shipped untyped) this step uses. */
interface ComponentsBundler {
  setInputOption(key: 'input', value: string): ComponentsBundler;
  setOutputOption(key: 'file', value: string): ComponentsBundler;
  build(): Promise<void>;
}

export async function buildComponentsBundle(output = componentsBundlePath()): Promise<string> {
  // AdminJS reads NODE_ENV when its bundler module loads: production means minified, no inline source maps.
  process.env.NODE_ENV = 'production';
  const specifier = 'adminjs/bundler'; // untyped subpath export: typed by ComponentsBundler below
  const { componentsBundler } = (await import(specifier)) as { componentsBundler: ComponentsBundler };
  const dir = dirname(output);
  await mkdir(dir, { recursive: true });
  const entry = join(dir, 'entry.js');
  const partial = `${output}.${process.pid}.tmp`;
  const imports = (Object.keys(COMPONENT_FILES) as ComponentId[])
    .map(
      (id) =>
        `import ${id} from ${JSON.stringify(componentSource(id))}\nAdminJS.UserComponents.${id} = ${id}`,
    )
    .join('\n');
  await writeFile(entry, `AdminJS.UserComponents = {}\n${imports}\n`);
  componentsBundler.setInputOption('input', entry).setOutputOption('file', partial);
  await componentsBundler.build();
  await rename(partial, output);
  return output;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  const output = await buildComponentsBundle();
  process.stdout.write(`Bundled the back office components into ${output} in ${Date.now() - started} ms\n`);
}
