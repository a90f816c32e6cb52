import { AsyncResource } from 'node:async_hooks';

import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { RequestContext as OrmRequestContext } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/postgresql';
import type AdminJS from 'adminjs';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import formidable from 'express-formidable';
import session from 'express-session';

import { RequestContext } from '../../common/context/request-context.js';
import { AppConfig } from '../../config/app-config.js';
import { AuditSource } from '../audit/audit-log.entity.js';
import { User } from '../users/user.entity.js';
import { adminSecurityHeaders, assetRoutes } from './admin-assets.js';
import { AdminSessions } from './admin-sessions.js';

const MINUTE_MS = 60_000;

/**
 * A middleware that finishes in a callback of a connection pool or a stream: its `next` is bound to the
 * request's async context, or the request context (who acts, with which EntityManager) could be another
 * request's by the time the route runs.
 */
const bound =
  (middleware: RequestHandler): RequestHandler =>
  (req, res, next) =>
    middleware(req, res, AsyncResource.bind(next));

/**
 * Everything an /admin request passes before AdminJS's own router: source `admin` in the request context,
 * the admin CSP, fonts/logo/bundle, the PostgreSQL session, body parsing, the sign-in rate limit, a MikroORM
 * RequestContext (its own EntityManager fork), and the check that the session's user may still sign in.
 * AdminJS's router (built on top of this one) then skips its own session and body parsing: both are done.
 */
@Injectable()
export class AdminPipeline {
  constructor(
    private readonly orm: MikroORM,
    private readonly sessions: AdminSessions,
    private readonly config: AppConfig,
    @Inject(ThrottlerStorage) private readonly throttler: ThrottlerStorage,
  ) {}

  router(admin: AdminJS): Router {
    const router = express.Router();
    router.use(this.adminSource);
    router.use(...adminSecurityHeaders);
    router.use(assetRoutes());
    router.use(bound(session(this.sessions.options())));
    router.use(bound(formidable()));
    router.post('/login', (req, res, next) => {
      this.limitSignIns(admin, req, res, next).catch(next);
    });
    router.use((req, _res, next) => OrmRequestContext.create(this.orm.em, next));
    router.use((req, res, next) => {
      this.checkSession(req).then(() => next(), next);
    });
    return router;
  }

  /** Writes made here are audited with source `admin` (the ORM subscriber reads the request context). */
  private readonly adminSource: RequestHandler = (req, _res, next) => {
    const current = RequestContext.current();
    RequestContext.run(
      { source: AuditSource.Admin, requestId: current?.requestId, ip: current?.ip ?? req.ip },
      next,
    );
  };

  /** Sign-in POSTs per IP and per account, with the API's limit (AUTH_RATE_LIMIT_PER_MINUTE). */
  private async limitSignIns(admin: AdminJS, req: Request, res: Response, next: NextFunction): Promise<void> {
    const limit = this.config.auth.rateLimitPerMinute;
    const fields = (req as Request & { fields?: Record<string, unknown> }).fields ?? {};
    const keys = [`admin-login:ip:${req.ip}`];
    const account = typeof fields.username === 'string' ? fields.username.trim().toLowerCase() : '';
    if (account) keys.push(`admin-login:account:${account}`);
    let blocked = false;
    for (const key of keys) {
      const record = await this.throttler.increment(key, MINUTE_MS, limit, MINUTE_MS, 'admin-login');
      blocked ||= record.isBlocked;
    }
    if (!blocked) return next();
    const page = await admin.renderLogin({
      action: admin.options.loginPath,
      errorMessage: 'tooManyRequests',
    });
    res.status(429).set('Retry-After', '60').send(page);
  }

  /**
   * A session ends as soon as its user may no longer sign in: deactivated, or tokenVersion changed (password
   * change or reset, 2FA turned off). Role and name changes apply at once.
   */
  private async checkSession(req: Request): Promise<void> {
    const signedIn = req.session?.adminUser;
    if (!signedIn) return;
    const user = await this.orm.em.fork().findOne(User, signedIn.id);
    const valid =
      !!user &&
      user.isActive &&
      user.tokenVersion === signedIn.tokenVersion &&
      !(this.config.auth.require2fa && !user.twoFactorEnabled);
    if (!valid) {
      await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
      return;
    }
    if (user.role !== signedIn.role || user.email !== signedIn.email) {
      signedIn.role = user.role;
      signedIn.email = user.email;
      signedIn.title = `${user.fullName} · ${user.role}`;
    }
    RequestContext.setActor({ userId: user.id, label: user.username });
  }
}
