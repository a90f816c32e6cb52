import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

import { processCpuMs } from './app-process.js';
import type { Statement } from './query-counter.js';

/**
 * The Node floor of a scenario: its captured statements served over HTTP by the barest Node server that could
 * answer it (floor-server.ts: `node:http`, `pg`, `JSON.stringify`; no framework, no authentication, no validation,
 * no log), loaded like the app. Its CPU per request is what any Node app on this machine pays for the HTTP
 * exchange, the round trips and printing the rows: the app's CPU above it is what the app's own layers cost.
 */
export interface FloorServer {
  base: string;
  cpuMs(): number | undefined;
  /** Serves `captured` from now on (its made-up ids anew each time), on a pool of `connections` connections. */
  use(captured: { statements: Statement[]; newIds?: string[] }, connections: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startFloor(databaseUrl: string): Promise<FloorServer> {
  const child = fork(fileURLToPath(new URL('./floor-server.js', import.meta.url)), [databaseUrl], {
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const [{ port }] = (await once(child, 'message')) as [{ port: number }];
  return {
    base: `http://127.0.0.1:${port}`,
    cpuMs: () => processCpuMs(child.pid),
    async use({ statements, newIds = [] }, connections) {
      const ready = once(child, 'message');
      child.send({ statements, newIds, connections });
      await ready;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}
