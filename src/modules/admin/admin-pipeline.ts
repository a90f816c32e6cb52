import { AsyncResource } from 'node:async_hooks';
import { resolve } from 'node:path';

import type { StreamableFile } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { MikroORM } from '@mikro-orm/postgresql';
import type AdminJS from 'adminjs';
import { Router as AdminJSRouter } from 'adminjs';
import bytes from 'bytes';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import session from 'express-session';

import { RequestContext } from '../../common/context/request-context.js';
import { Role, roleAtLeast } from '../../common/auth/role.js';
import { AppError, ForbiddenError } from '../../common/errors/index.js';
import { invalidRequestText } from '../../common/http/invalid-text.js';
import { type AppConfig } from '../../config/app-config.js';
import { AuditSource } from '../../common/context/audit-source.js';
import { FundReportQueryDto } from '../reports/dto/report-query.dto.js';
import { lpBreakdownCsv, reportResponse } from '../reports/report-csv.js';
import { User } from '../users/user.entity.js';
import { adminSecurityHeaders, assetRoutes, nonceOf } from './admin-assets.js';
import type { AdminAuthProvider, LoginMessage } from './admin-auth.provider.js';
import {
  adminBody,
  adminErrors,
  adminUpload,
  type AdminRequest,
  boundedQuery,
  isSameOrigin,
  sameOriginWrites,
  streamAnswer,
} from './admin-http.js';
import { renderAppPage, renderLoginPage } from './admin-pages.js';
import { type AdminServices } from './admin-services.js';
import { adminCaller } from './admin-access.js';
import { mayOpenPage, UPLOAD_PAGES } from './pages/index.js';
import { pageInput } from './pages/page-kit.js';
import { type AdminSessions } from './admin-sessions.js';

const MINUTE_MS = 60_000;

/** The sign-in form: two or three short fields, URL-encoded by the browser. */
const loginForm = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 });

/**
 * A middleware that finishes in a callback of a connection pool or a stream: its `next` is bound to the
 * request's async context, or the request context (who acts, with which EntityManager) could be another
 * request's by the time the route runs.
 */
const bound =
  (middleware: RequestHandler): RequestHandler =>
  (req, res, next) =>
    middleware(req, res, AsyncResource.bind(next));

const handle =
  (run: (req: Request, res: Response) => Promise<unknown>): RequestHandler =>
  (req, res, next) => {
    run(req, res).catch(next);
  };

/** Which kind of AdminJS action a route runs: record, bulk or resource (undefined: no action in the path). */
function actionKind(path: string): 'record' | 'bulk' | 'resource' | undefined {
  if (!path.includes('{action}')) return undefined;
  return path.includes('/records/') ? 'record' : path.includes('/bulk/') ? 'bulk' : 'resource';
}

/**
 * A route's resource and action must exist, and the action must be of the route's kind: AdminJS's controllers
 * crash on an unknown one (a 500). Path parameters are checked for text that cannot be stored, like the query.
 */
function assertKnownAction(
  admin: AdminJS,
  params: Record<string, string>,
  kind: 'record' | 'bulk' | 'resource' | undefined,
): void {
  const invalid = invalidRequestText({ query: params });
  if (invalid) throw invalid;
  if (!params.resourceId) return;
  const resource = admin.resources.find((r) => r.id() === params.resourceId);
  if (!resource) throw new AppError(404, 'NOT_FOUND', `No resource ${params.resourceId} in this back office`);
  if (!kind) return;
  const actions = resource.decorate().actions;
  const action = Object.hasOwn(actions, params.action) ? actions[params.action] : undefined;
  const ofKind =
    action &&
    { record: action.isRecordType(), bulk: action.isBulkType(), resource: action.isResourceType() }[kind];
  if (!ofKind) {
    throw new AppError(404, 'NOT_FOUND', `No ${kind} action ${params.action} on ${params.resourceId}`);
  }
}

/** `/resources/{resourceId}` → `/resources/:resourceId`. */
const expressPath = (path: string): string => path.replace(/{([^}]+)}/g, ':$1') || '/';

/**
 * The whole back office router, in order: source `admin` for the audit log, the admin CSP, static assets
 * (fonts, logo, bundles), bounded query strings, the same-origin check on every write (CSRF), the PostgreSQL
 * session, sign-in and sign-out, the check that the session's user may still sign in, then — for signed-in users
 * only — the body of writes (the import wizard's CSV file as the API's upload reads it) and AdminJS's own pages
 * and JSON API, a 404 for any other path, and one error handler. AdminJS's express plugin is not used: it parses
 * uploads before sign-in, echoes sign-in errors into its page and renders values into inline scripts unescaped.
 * Built by back-office-runtime.ts, when the back office is first loaded.
 */
export class AdminPipeline {
  constructor(
    private readonly orm: MikroORM,
    private readonly sessions: AdminSessions,
    private readonly config: AppConfig,
    private readonly throttler: ThrottlerStorage,
    private readonly services: AdminServices,
  ) {}

  router(admin: AdminJS, auth: AdminAuthProvider): Router {
    const router = express.Router();
    router.use(this.adminSource);
    router.use(...adminSecurityHeaders);
    router.use(assetRoutes());
    for (const asset of AdminJSRouter.assets) {
      router.get(asset.path, (_req, res) => res.sendFile(resolve(asset.src), { maxAge: '1d' }));
    }
    router.use(boundedQuery);
    router.use(sameOriginWrites);
    router.use(bound(session(this.sessions.options())));
    this.signInRoutes(router, admin, auth);
    router.use((req, _res, next) => {
      this.checkSession(req).then(() => next(), next);
    });
    router.use((req, res, next) => {
      if (req.session?.adminUser) return next();
      res.redirect(admin.options.loginPath);
    });
    for (const name of UPLOAD_PAGES) router.post(`/api/pages/${name}`, this.uploadFor(name));
    router.use(adminBody(bytes.parse(this.config.http.bodyLimit) ?? 1_048_576));
    router.get('/backups/:name/download', handle(this.downloadBackup));
    router.get('/reports/lp-breakdown.csv', handle(this.lpBreakdownCsv));
    this.adminJsRoutes(router, admin);
    router.use((req, _res, next) =>
      next(
        new AppError(404, 'NOT_FOUND', `No back office page ${req.method} ${req.originalUrl.split('?')[0]}`),
      ),
    );
    router.use(adminErrors());
    return router;
  }

  private signInRoutes(router: Router, admin: AdminJS, auth: AdminAuthProvider): void {
    const { loginPath, rootPath } = admin.options;
    const loginPage = (res: Response, errorMessage: LoginMessage | null) =>
      renderLoginPage(admin, { action: loginPath, errorMessage }, nonceOf(res));
    router.get(
      '/login',
      handle(async (_req, res) => res.send(await loginPage(res, null))),
    );
    router.post(
      '/login',
      loginForm,
      handle(async (req, res) => {
        if (invalidRequestText(req)) return res.status(400).send(await loginPage(res, 'invalidInput'));
        if (await this.tooManySignIns(req)) {
          return res
            .status(429)
            .set('Retry-After', '60')
            .send(await loginPage(res, 'tooManyRequests'));
        }
        const result = await auth.attempt((req.body ?? {}) as Record<string, unknown>, req);
        if ('refused' in result) return res.status(400).send(await loginPage(res, result.refused));
        req.session.adminUser = result.user;
        const target = req.session.redirectTo ?? rootPath;
        await new Promise<void>((done, fail) =>
          req.session.save((err) => (err ? fail(err as Error) : done())),
        );
        res.redirect(302, target);
      }),
    );
    const signOut = (req: Request, res: Response) => req.session.destroy(() => res.redirect(loginPath));
    router.post('/logout', signOut);
    // A link or a typed address may still sign out; a cross-site navigation may not (the top bar POSTs).
    router.get('/logout', (req, res) => {
      const site = req.get('sec-fetch-site');
      if (site === 'none' || (site === 'same-origin' && isSameOrigin(req))) return signOut(req, res);
      res.redirect(rootPath);
    });
  }

  /** AdminJS's routes: its pages (rendered by admin-pages.ts) and its JSON API (its controllers). */
  private adminJsRoutes(router: Router, admin: AdminJS): void {
    for (const route of AdminJSRouter.routes) {
      if (route.action === 'bundleComponents') continue; // the bundle is built by `npm run build`
      const path = expressPath(route.path);
      const isApi = route.path.startsWith('/api/');
      const kind = actionKind(route.path);
      const handler = isApi
        ? handle(async (req: AdminRequest, res) => {
            assertKnownAction(admin, req.params as Record<string, string>, kind);
            const Controller = route.Controller as new (
              options: { admin: AdminJS },
              currentAdmin: unknown,
            ) => Record<string, (request: object, response: Response) => Promise<unknown>>;
            const controller = new Controller({ admin }, req.session.adminUser);
            const answer = await controller[route.action](
              {
                params: req.params,
                query: req.query,
                payload: req.fields ?? {},
                method: req.method.toLowerCase(),
                headers: req.headers,
              },
              res,
            );
            if (answer !== undefined && !res.headersSent) res.json(answer);
          })
        : handle(async (req, res) =>
            res.send(await renderAppPage(admin, req.session.adminUser!, nonceOf(res))),
          );
      if (route.method === 'GET') router.get(path, handler);
      else router.post(path, handler);
    }
  }

  /**
   * The file of a write to page `name`, read only for a user whose role opens that page (as the API's guard
   * runs before its upload is read): anybody else gets the page handler's 403 before a byte of it is read.
   */
  private uploadFor(name: string): RequestHandler {
    return (req, res, next) => {
      if (!mayOpenPage(req.session.adminUser, name)) {
        return next(new ForbiddenError('Your role does not allow this page'));
      }
      adminUpload(req, res, next);
    };
  }

  /** A backup file for the Backups page's links: admins only, streamed, audited (as GET /api/backups/:name/download). */
  private readonly downloadBackup = async (req: Request, res: Response): Promise<void> => {
    const user = req.session.adminUser;
    if (!user || !roleAtLeast(user.role, Role.Admin))
      throw new ForbiddenError('Only admins may download backups');
    const name = String(req.params.name);
    const file = await this.services.backups.download(name);
    res.set({
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(file.size),
      'Content-Disposition': `attachment; filename="${name}"`,
      ...(file.sha256 && { 'X-Backup-SHA256': file.sha256 }),
    });
    await streamAnswer(file.stream, res);
  };

  /**
   * The LP tracker's CSV: GET /api/reports/lp-breakdown?format=csv for the signed-in user — the same table, the
   * same rule (an export: managers and admins) and the same audit row.
   */
  private readonly lpBreakdownCsv = async (req: Request, res: Response): Promise<void> => {
    const caller = adminCaller({ currentAdmin: req.session.adminUser });
    const query = await pageInput(FundReportQueryDto, { ...req.query, format: 'csv' }, 'query');
    const report = await this.services.reports.exportOrAnswer(caller, 'lp-breakdown', query, () =>
      this.services.reports.lpBreakdown(query.fundId),
    );
    const file = reportResponse(res, 'csv', 'lp-breakdown', report, lpBreakdownCsv) as StreamableFile;
    res.type('text/csv; charset=utf-8');
    await streamAnswer(file.getStream(), res);
  };

  /** Writes made here are audited with source `admin` (the ORM subscriber reads the request context). */
  private readonly adminSource: RequestHandler = (req, _res, next) => {
    const current = RequestContext.current();
    RequestContext.run({ ...current, source: AuditSource.Admin, ip: current?.ip ?? req.ip }, next);
  };

  /** Sign-in POSTs per IP and per account, with the API's limit (AUTH_RATE_LIMIT_PER_MINUTE). */
  private async tooManySignIns(req: Request): Promise<boolean> {
    const limit = this.config.auth.rateLimitPerMinute;
    const fields = (req.body ?? {}) as Record<string, unknown>;
    const keys = [`admin-login:ip:${req.ip}`];
    const account = typeof fields.username === 'string' ? fields.username.trim().toLowerCase() : '';
    if (account) keys.push(`admin-login:account:${account}`);
    let blocked = false;
    for (const key of keys) {
      const record = await this.throttler.increment(key, MINUTE_MS, limit, MINUTE_MS, 'admin-login');
      blocked ||= record.isBlocked;
    }
    return blocked;
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
      await new Promise<void>((done) => req.session.destroy(() => done()));
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
