import { Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { MikroORM, RequestContext as OrmRequestContext } from '@mikro-orm/postgresql';

import { RequestContext } from '../../common/context/request-context.js';
import { AppConfig } from '../../config/app-config.js';
import { AuditSource } from '../../common/context/audit-source.js';
import { User } from '../../modules/users/user.entity.js';
import { UsersModule } from '../../modules/users/users.module.js';
import { DemoSeeder, summaryText } from './demo.seeder.js';

/**
 * With DEMO=true, loads the demo data set when the app starts on a database without users (a first start),
 * after the migrations and before it serves. A database someone already uses is never touched.
 */
@Injectable()
export class DemoOnFirstStart implements OnApplicationBootstrap {
  private readonly logger = new Logger('Demo');

  constructor(
    private readonly config: AppConfig,
    private readonly orm: MikroORM,
    private readonly seeder: DemoSeeder,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demo) return;
    await RequestContext.run({ source: AuditSource.System, actor: { label: 'system' } }, () =>
      OrmRequestContext.create(this.orm.em, async () => {
        if ((await this.orm.em.count(User, {})) > 0) return;
        const summary = await this.seeder.run();
        this.logger.log(
          `DEMO=true on a new database: loaded the demo data set (${summaryText(summary)}). ` +
            'Sign in as admin / admin123 and change the demo passwords.',
        );
      }),
    );
  }
}

/** The demo seed, for the CLI's `seed-demo`. */
@Module({
  imports: [UsersModule],
  providers: [DemoSeeder],
  exports: [DemoSeeder],
})
export class DemoModule {}

/** The demo seed plus the DEMO=true first-start hook, for the app. */
@Module({
  imports: [DemoModule],
  providers: [DemoOnFirstStart],
})
export class DemoStartupModule {}
