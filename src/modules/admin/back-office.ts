import { Inject, Injectable, Logger } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import type { Logger as PinoLogger } from 'pino';

import { requestContextMiddleware } from '../../common/context/request-context.middleware.js';
import { parseQueryString } from '../../common/http/query-parser.js';
import { requestLogMiddleware } from '../../common/logging/request-log.js';
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
 * The back office at /admin: an Express app of its own (AdminJS and its pipeline are Express), beside the API's
 * Fastify (app.setup.ts sends it every request under /admin). AdminJS (back-office-runtime.ts) is imported on
 * `load()`, which main.ts calls once the API listens; an app built without main.ts, as in the tests, loads it on
 * its first request to /admin. Requests that come before it is loaded wait for it.
 */
@Injectable()
export class BackOffice {
  private readonly logger = new Logger(BackOffice.name);
  private loading: Promise<Router> | undefined;

  constructor(
    private readonly orm: MikroORM,
    private readonly em: EntityManager,
    private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly services: AdminServices,
    private readonly sessions: AdminSessions,
    @Inject(ThrottlerStorage) private readonly throttler: ThrottlerStorage,
  ) {}

  /**
   * The Express app that answers /admin: the request's context and log line as for the API, then the back
   * office's router (admin-pipeline.ts), which answers everything under /admin, unknown paths included.
   */
  app(logger: PinoLogger): Express {
    const app = express();
    app.set('trust proxy', this.config.http.trustProxy);
    app.set('query parser', parseQueryString);
    app.disable('x-powered-by');
    app.use(requestLogMiddleware(logger));
    app.use(requestContextMiddleware(this.orm.em));
    app.use(ADMIN_ROOT, (req, res, next) => {
      this.load().then((router) => router(req, res, next), next);
    });
    app.use(notLoaded);
    return app;
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

/** The answer when the back office could not be loaded (the cause is logged; the next request tries again). */
const notLoaded: ErrorRequestHandler = (_err, _req, res, _next) => {
  res.status(503).type('text').send('The back office is not available right now; try again in a moment.');
};
