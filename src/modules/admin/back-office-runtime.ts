import AdminJS, { type AdminJSOptions } from 'adminjs';
import type { Router } from 'express';

import { ADMIN_STYLESHEET } from './admin-assets.js';
import { AdminAuthProvider } from './admin-auth.provider.js';
import { COMPONENTS } from './admin-components.js';
import { ADMIN_ROOT } from './admin.constants.js';
import { dashboardHandler } from './admin-dashboard.js';
import { ADMIN_TRANSLATIONS } from './admin-locale.js';
import { AdminPipeline } from './admin-pipeline.js';
import type { BackOfficeDeps } from './back-office.js';
import { adminPages } from './pages/index.js';
import { adminResources } from './resources/index.js';

// The component bundle is built by `npm run build` (build-bundle.ts). AdminJS would otherwise start a rollup
// watcher writing into ./.adminjs or bundle at start (initialize() in production): neither may write into the
// install folder, so both are switched off.
AdminJS.prototype.watch = () => Promise.resolve(undefined);
AdminJS.prototype.initialize = () => Promise.resolve();

/**
 * A calm, neutral palette: navy primary, slate greys; AdminJS's defaults otherwise. The filter drawer keeps
 * AdminJS's light background: its inputs write dark text, which a dark drawer made unreadable (1.1:1). The
 * two greys AdminJS writes text in (field labels, breadcrumbs, help text; white on grey40 in value badges)
 * are darker than its own, for a contrast of at least 4.5:1 (WCAG AA; checked by axe-core in the tests).
 */
const THEME = {
  colors: {
    grey60: '#575b6a',
    grey40: '#6b7280',
    primary100: '#1f4e79',
    primary80: '#2f6496',
    primary60: '#5b86b0',
    primary40: '#a6bfd8',
    primary20: '#e3ecf5',
    accent: '#1f4e79',
    hoverBg: '#2f6496',
  },
};

function adminOptions({ orm, services }: BackOfficeDeps): AdminJSOptions {
  return {
    rootPath: ADMIN_ROOT,
    loginPath: `${ADMIN_ROOT}/login`,
    logoutPath: `${ADMIN_ROOT}/logout`,
    resources: adminResources({ orm, components: COMPONENTS, services }),
    dashboard: { component: COMPONENTS.Dashboard, handler: dashboardHandler(orm, services) },
    pages: adminPages(services, orm),
    branding: {
      companyName: 'venture-crm',
      logo: `${ADMIN_ROOT}/brand/wordmark.svg`,
      favicon: `${ADMIN_ROOT}/brand/logo.svg`,
      withMadeWithLove: false,
      theme: THEME,
    },
    locale: { language: 'en', availableLanguages: ['en'], translations: { en: ADMIN_TRANSLATIONS } },
    settings: { defaultPerPage: 25 },
    assets: { styles: [ADMIN_STYLESHEET] },
  };
}

/**
 * The whole back office as one express router: AdminJS over the same entities, users, roles and 2FA as the
 * API, behind AdminPipeline (sessions, sign-in, CSRF, errors). Loaded by back-office.ts with a dynamic import:
 * AdminJS and everything it pulls in (its React front end, its bundler) take most of a start's imports.
 */
export function backOfficeRouter(deps: BackOfficeDeps): Router {
  const admin = new AdminJS(adminOptions(deps));
  const pipeline = new AdminPipeline(deps.orm, deps.sessions, deps.config, deps.throttler, deps.services);
  return pipeline.router(admin, new AdminAuthProvider(deps.auth, deps.em, deps.config));
}
