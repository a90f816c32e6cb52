import { Injectable } from '@nestjs/common';
import type { AbstractHttpAdapter } from '@nestjs/core';
import { AbstractLoader } from '@adminjs/nestjs';
import type { AdminModuleOptions } from '@adminjs/nestjs';
import AdminJS from 'adminjs';
import type { Express } from 'express';

import type { AdminAuthProvider } from './admin-auth.provider.js';
import { AdminPipeline } from './admin-pipeline.js';

// The component bundle is built by `npm run build` (build-bundle.ts). AdminJS would otherwise start a rollup
// watcher writing into ./.adminjs (@adminjs/nestjs calls watch() outside production) or bundle at start
// (initialize() in production): neither may write into the install folder, so both are switched off.
AdminJS.prototype.watch = () => Promise.resolve(undefined);
AdminJS.prototype.initialize = () => Promise.resolve();

/**
 * @adminjs/nestjs's `customLoader`: mounts AdminPipeline's router (the whole back office, in place of
 * @adminjs/express's) in order — after the app's request-context middleware (which ExpressLoader's reordering
 * would skip), before Nest's not-found handler. The app's body parsers and strict CSP leave /admin alone
 * (app.setup.ts).
 */
@Injectable()
export class AdminRouterLoader extends AbstractLoader {
  constructor(private readonly pipeline: AdminPipeline) {
    super();
  }

  override register(
    admin: AdminJS,
    httpAdapter: AbstractHttpAdapter,
    options: AdminModuleOptions,
  ): Promise<void> {
    const app = httpAdapter.getInstance<Express>();
    const provider = options.auth?.provider as AdminAuthProvider | undefined;
    if (!provider) throw new Error('The back office needs its sign-in provider (admin.module.ts)');
    app.use(admin.options.rootPath, this.pipeline.router(admin, provider));
    return Promise.resolve();
  }
}
