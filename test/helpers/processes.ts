import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

export interface Run {
  code: number | null;
  output: string;
}

/** Runs the built CLI (`npm test` builds dist/ first) and collects its output. */
export function runCli(args: string[], env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, [join(root, 'dist/src/cli.js'), ...args], {
    cwd: root,
    // Jest's environment runs AdminJS as in production (global-setup.js); the CLI runs as a user's would.
    env: { ...process.env, NODE_OPTIONS: '', NODE_ENV: 'development', ...env },
  });
  return collect(child);
}

/** Starts the built app as `npm start` would; `output()` is what it has logged so far. */
export function startApp(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<Run>;
} {
  const child = spawn(process.execPath, [join(root, 'dist/src/main.js')], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '', NODE_ENV: 'development', LOG_LEVEL: 'info', ...env },
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<Run>((resolve) => child.on('exit', (code) => resolve({ code, output })));
  return { child, output: () => output, exited };
}

function collect(child: ChildProcess): Promise<Run> {
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}
