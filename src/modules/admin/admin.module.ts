import { Module } from '@nestjs/common';
import { AdminModule, type AdminModuleOptions } from '@adminjs/nestjs';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';

import { AppConfig } from '../../config/app-config.js';
import { AuthModule } from '../auth/auth.module.js';
import { AuthService } from '../auth/auth.service.js';
import { BackupsModule } from '../backups/backups.module.js';
import { CommunicationsModule } from '../communications/communications.module.js';
import { ContactsModule } from '../contacts/contacts.module.js';
import { FundsModule } from '../funds/funds.module.js';
import { ImportModule } from '../import/import.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { LpProfilesModule } from '../lp-profiles/lp-profiles.module.js';
import { OpportunitiesModule } from '../opportunities/opportunities.module.js';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { SearchModule } from '../search/search.module.js';
import { TagsModule } from '../tags/tags.module.js';
import { TasksModule } from '../tasks/tasks.module.js';
import { ADMIN_STYLESHEET } from './admin-assets.js';
import { AdminAuthProvider } from './admin-auth.provider.js';
import { COMPONENTS } from './admin-components.js';
import { ADMIN_COOKIE_NAME, ADMIN_ROOT } from './admin.constants.js';
import { dashboardHandler } from './admin-dashboard.js';
import { ADMIN_TRANSLATIONS } from './admin-locale.js';
import { AdminPipeline } from './admin-pipeline.js';
import { AdminRouterLoader } from './admin-router.loader.js';
import { AdminServices } from './admin-services.js';
import { AdminSessions } from './admin-sessions.js';
import { adminPages } from './pages/index.js';
import { adminResources } from './resources/index.js';

/** What the AdminJS module needs from the app: sessions, the request pipeline, and the services it writes through. */
@Module({
  imports: [
    AuthModule,
    OrganizationsModule,
    ContactsModule,
    TagsModule,
    FundsModule,
    OpportunitiesModule,
    LpProfilesModule,
    CommunicationsModule,
    TasksModule,
    BackupsModule,
    JobsModule,
    ReportsModule,
    SearchModule,
    ImportModule,
  ],
  providers: [AdminSessions, AdminPipeline, AdminServices],
  exports: [AdminSessions, AdminPipeline, AdminServices, AuthModule],
})
class AdminSupportModule {}

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

function adminOptions(
  orm: MikroORM,
  em: EntityManager,
  config: AppConfig,
  auth: AuthService,
  services: AdminServices,
  sessions: AdminSessions,
): AdminModuleOptions {
  return {
    adminJsOptions: {
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
    },
    auth: {
      provider: new AdminAuthProvider(auth, em, config),
      cookiePassword: sessions.secret,
      cookieName: ADMIN_COOKIE_NAME,
    },
    sessionOptions: sessions.options(),
  };
}

/**
 * The back office at /admin: AdminJS over the same entities, users, roles and 2FA as the API. Mounted through
 * @adminjs/nestjs with our own loader (admin-router.loader.ts) in front of AdminJS's express router.
 */
@Module({
  imports: [
    AdminModule.createAdminAsync({
      imports: [AdminSupportModule],
      inject: [MikroORM, EntityManager, AppConfig, AuthService, AdminServices, AdminSessions],
      customLoader: AdminRouterLoader,
      useFactory: adminOptions,
    }),
  ],
})
export class BackOfficeModule {}
