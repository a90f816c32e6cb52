import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ThrottlerStorage } from '@nestjs/throttler';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Express, RequestHandler, Router } from 'express';

import { AppConfig } from '../../config/app-config.js';
import { AuthService } from '../auth/auth.service.js';
import { ADMIN_ROOT } from './admin.constants.js';
import { AdminServices } from './admin-services.js';
import { AdminSessions } from './admin-sessions.js';

/** What the back office is built from: the app's services, its sessions and its sign-in limit. */
export interface BackOfficeDeps {
  orm: MikroORM;
  em: EntityManager;
  config: AppConfig;
  auth: AuthService;
  services: AdminServices;
  sessions: AdminSessions;
  throttler: ThrottlerStorage;
}

/**
 * Mounts the back office at /admin when the app starts — after the app's request-context middleware, before
 * Nest's not-found handler — and loads it later: AdminJS (back-office-runtime.ts) is imported on `load()`,
 * which main.ts calls once the API listens (an app built without main.ts, as in the tests, loads it on its first
 * request to /admin). Requests that come before it is loaded wait for it.
 */
@Injectable()
export class BackOffice implements OnModuleInit {
  private readonly logger = new Logger(BackOffice.name);
  private loading: Promise<Router> | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly orm: MikroORM,
    private readonly em: EntityManager,
    private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly services: AdminServices,
    private readonly sessions: AdminSessions,
    @Inject(ThrottlerStorage) private readonly throttler: ThrottlerStorage,
  ) {}

  onModuleInit(): void {
    const handler: RequestHandler = (req, res, next) => {
      this.load().then((router) => router(req, res, next), next);
    };
    this.adapterHost.httpAdapter.getInstance<Express>().use(ADMIN_ROOT, handler);
  }

  /** The back office's router, imported and built once; a failed load is tried again by the next request. */
  load(): Promise<Router> {
    if (!this.loading) {
      const started = performance.now();
      this.loading = import('./back-office-runtime.js').then(({ backOfficeRouter }) => {
        const router = backOfficeRouter({
          orm: this.orm,
          em: this.em,
          config: this.config,
          auth: this.auth,
          services: this.services,
          sessions: this.sessions,
          throttler: this.throttler,
        });
        this.logger.log(`Back office loaded in ${Math.round(performance.now() - started)} ms`);
        return router;
      });
      this.loading.catch((err: unknown) => {
        this.loading = undefined;
        this.logger.error(
          `The back office could not be loaded: ${(err as Error).message}`,
          (err as Error).stack,
        );
      });
    }
    return this.loading;
  }
}
