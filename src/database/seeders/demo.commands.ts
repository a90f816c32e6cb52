import { MikroORM } from '@mikro-orm/postgresql';
import { Command, CommandRunner } from 'nest-commander';

import { inCliContext } from '../../cli/cli-context.js';
import { fail, out } from '../../cli/cli-output.js';
import { DEMO_USERS } from './demo-data.js';
import { DemoSeeder, summaryLines } from './demo.seeder.js';

@Command({
  name: 'seed-demo',
  description:
    'Load the demo data set (2 users, 8 organizations, 12 contacts, Fund I and II, …). Safe to run again: ' +
    'records already there are left as they are',
})
export class SeedDemoCommand extends CommandRunner {
  constructor(
    private readonly orm: MikroORM,
    private readonly seeder: DemoSeeder,
  ) {
    super();
  }

  async run(): Promise<void> {
    try {
      const summary = await inCliContext(this.orm, () => this.seeder.run());
      out('Demo data set:');
      for (const line of summaryLines(summary)) out(`  ${line}`);
      if (summary.users.created > 0) {
        const logins = DEMO_USERS.map((u) => `${u.username} / ${u.password} (${u.role})`).join(', ');
        out(`Demo sign-ins: ${logins}. These passwords are public: change them before real use.`);
      }
    } catch (err) {
      fail((err as Error).message);
    }
  }
}

export const DEMO_COMMANDS = [SeedDemoCommand];
