import { MikroORM } from '@mikro-orm/postgresql';
import { Command, CommandRunner } from 'nest-commander';

import { inCliContext } from '../../cli/cli-context.js';
import { fail, out } from '../../cli/cli-output.js';
import { JobCatalog } from './job-catalog.service.js';
import { JobName, JobRunStatus, JobTrigger } from './job-run.entity.js';

const NAMES = Object.values(JobName);

@Command({
  name: 'run-job',
  arguments: '<job>',
  description: `Run a scheduled job now (${NAMES.join(' | ')}), under its lock and recorded in the job runs`,
})
export class RunJobCommand extends CommandRunner {
  constructor(
    private readonly orm: MikroORM,
    private readonly catalog: JobCatalog,
  ) {
    super();
  }

  async run([job]: string[]): Promise<void> {
    if (!NAMES.includes(job as JobName)) return fail(`unknown job "${job}": one of ${NAMES.join(', ')}`);
    const outcome = await inCliContext(this.orm, () => this.catalog.run(job as JobName, JobTrigger.Cli));
    if (!outcome.ran) return fail(`${job} not run: another run of it is in progress`);
    const details = JSON.stringify(outcome.details);
    if (outcome.status === JobRunStatus.Failed)
      return fail(`${job} failed (run ${outcome.runId}): ${details}`);
    out(`${job}: ${outcome.status} (run ${outcome.runId}) ${details}`);
  }
}

export const JOB_COMMANDS = [RunJobCommand];
