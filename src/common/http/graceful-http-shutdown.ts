import type { Server } from 'node:http';

import { type BeforeApplicationShutdown, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createHttpTerminator, type HttpTerminator } from 'http-terminator';

/** How long requests already running may take to finish once the app is stopping. */
export const GRACEFUL_REQUEST_TIMEOUT_MS = 10_000;

/**
 * Stops the HTTP server without waiting on connections that carry no request. `server.close()` alone waits
 * for every open socket, and browsers keep idle keep-alive and speculative (pre-connected, request-less)
 * sockets open: a SIGTERM, or a restart in the tests, then hung for up to a minute. http-terminator closes
 * those at once, lets running requests finish (answering `Connection: close`) for up to
 * GRACEFUL_REQUEST_TIMEOUT_MS, then closes what is left. It runs before the ORM and the session store close,
 * so the requests it waits for still have their database.
 */
@Injectable()
export class GracefulHttpShutdown implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private terminator?: HttpTerminator;
  private server?: Server;

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onApplicationBootstrap(): void {
    this.server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (this.server)
      this.terminator = createHttpTerminator({
        server: this.server,
        gracefulTerminationTimeout: GRACEFUL_REQUEST_TIMEOUT_MS,
      });
  }

  async beforeApplicationShutdown(): Promise<void> {
    // A server that never listened (supertest-driven tests, the CLI) has nothing to drain.
    if (this.server?.listening) await this.terminator?.terminate();
  }
}
