import { randomBytes } from 'node:crypto';

import { MikroORM } from '@mikro-orm/postgresql';
import { Command, CommandRunner, InquirerService, Option, Question, QuestionSet } from 'nest-commander';

import { ROLES, Role } from '../../common/auth/role.js';
import { AppError } from '../../common/errors/index.js';
import { inCliContext } from '../../cli/cli-context.js';
import { fail, out } from '../../cli/cli-output.js';
import { UsersService } from '../users/users.service.js';
import { TwoFactorService } from './two-factor.service.js';

interface CreateUserAnswers {
  username?: string;
  email?: string;
  fullName?: string;
  role?: Role;
  password?: string;
}

const interactive = (): boolean => Boolean(process.stdin.isTTY && process.stdout.isTTY);

function describe(err: unknown): string {
  if (err instanceof AppError) return err.message;
  return (err as Error).message;
}

@QuestionSet({ name: 'create-user' })
export class CreateUserQuestions {
  @Question({ type: 'input', name: 'username', message: 'Username:' })
  parseUsername(value: string): string {
    return value.trim();
  }

  @Question({ type: 'input', name: 'email', message: 'Email:' })
  parseEmail(value: string): string {
    return value.trim();
  }

  @Question({ type: 'input', name: 'fullName', message: 'Full name:' })
  parseFullName(value: string): string {
    return value.trim();
  }

  @Question({ type: 'list', name: 'role', message: 'Role:', choices: ROLES, default: Role.Admin })
  parseRole(value: Role): Role {
    return value;
  }

  @Question({ type: 'password', name: 'password', message: 'Password (12+ characters):', mask: '*' })
  parsePassword(value: string): string {
    return value;
  }
}

@QuestionSet({ name: 'new-password' })
export class NewPasswordQuestions {
  @Question({ type: 'password', name: 'password', message: 'New password (12+ characters):', mask: '*' })
  parsePassword(value: string): string {
    return value;
  }
}

@Command({
  name: 'create-user',
  description:
    'Create a user (asks for what is missing when run in a terminal). The first user is usually an admin.',
})
export class CreateUserCommand extends CommandRunner {
  constructor(
    private readonly orm: MikroORM,
    private readonly users: UsersService,
    private readonly inquirer: InquirerService,
  ) {
    super();
  }

  async run(_args: string[], options: CreateUserAnswers): Promise<void> {
    let answers = { ...options };
    if (!answers.fullName && answers.username) answers.fullName = answers.username;
    const missing = (['username', 'email', 'role', 'password'] as const).filter((k) => !answers[k]);
    if (missing.length > 0) {
      if (!interactive()) return fail(`missing ${missing.map((m) => `--${m}`).join(', ')}`);
      answers = await this.inquirer.ask<CreateUserAnswers>('create-user', answers);
    }
    try {
      const user = await inCliContext(this.orm, () =>
        this.users.create({
          username: answers.username!,
          email: answers.email!,
          fullName: answers.fullName || answers.username!,
          role: answers.role!,
          password: answers.password!,
        }),
      );
      out(
        `Created ${user.role} ${user.username} <${user.email}>. Sign in at /admin or with POST /api/auth/login.`,
      );
    } catch (err) {
      fail(describe(err));
    }
  }

  @Option({ flags: '-u, --username <username>' })
  parseUsername(value: string): string {
    return value;
  }

  @Option({ flags: '-e, --email <email>' })
  parseEmail(value: string): string {
    return value;
  }

  @Option({ flags: '-n, --full-name <name>', description: 'Defaults to the username' })
  parseFullName(value: string): string {
    return value;
  }

  @Option({ flags: '-r, --role <role>', description: ROLES.join(' | ') })
  parseRole(value: string): Role {
    if (!ROLES.includes(value as Role)) throw new Error(`--role must be one of: ${ROLES.join(', ')}`);
    return value as Role;
  }

  @Option({
    flags: '-p, --password <password>',
    description: 'Prefer the prompt: a password on the command line lands in shell history',
  })
  parsePassword(value: string): string {
    return value;
  }
}

@Command({
  name: 'reset-password',
  description: 'Set a new password for a user, unlock the account and end their sessions',
})
export class ResetPasswordCommand extends CommandRunner {
  constructor(
    private readonly orm: MikroORM,
    private readonly users: UsersService,
    private readonly inquirer: InquirerService,
  ) {
    super();
  }

  async run(
    _args: string[],
    options: { username?: string; password?: string; generate?: boolean },
  ): Promise<void> {
    if (!options.username) return fail('missing --username');
    let password = options.password;
    let generated = false;
    if (!password && (options.generate || !interactive())) {
      password = randomBytes(18).toString('base64url');
      generated = true;
    }
    password ??= (await this.inquirer.ask<{ password: string }>('new-password', undefined)).password;
    try {
      await inCliContext(this.orm, async () => {
        const user = await this.users.findByUsername(options.username!);
        await this.users.setPassword(user, password);
      });
      out(`Password of ${options.username} changed; the account is unlocked and its sessions ended.`);
      if (generated) out(`New password (shown once): ${password}`);
    } catch (err) {
      fail(describe(err));
    }
  }

  @Option({ flags: '-u, --username <username>', required: true })
  parseUsername(value: string): string {
    return value;
  }

  @Option({ flags: '-p, --password <password>' })
  parsePassword(value: string): string {
    return value;
  }

  @Option({
    flags: '-g, --generate',
    description: 'Generate a strong password and print it (the default outside a terminal)',
  })
  parseGenerate(): boolean {
    return true;
  }
}

@Command({
  name: 'disable-2fa',
  description: 'Turn off two-factor authentication for a user who lost their device (they can enrol again)',
})
export class DisableTwoFactorCommand extends CommandRunner {
  constructor(
    private readonly orm: MikroORM,
    private readonly users: UsersService,
    private readonly twoFactor: TwoFactorService,
  ) {
    super();
  }

  async run(_args: string[], options: { username?: string }): Promise<void> {
    if (!options.username) return fail('missing --username');
    try {
      const wasEnabled = await inCliContext(this.orm, async () => {
        const user = await this.users.findByUsername(options.username!);
        const enabled = user.twoFactorEnabled;
        if (enabled) await this.twoFactor.disable(user, 'disabled from the CLI');
        return enabled;
      });
      out(
        wasEnabled
          ? `Two-factor authentication disabled for ${options.username}; their sessions ended.`
          : `${options.username} had no two-factor authentication.`,
      );
    } catch (err) {
      fail(describe(err));
    }
  }

  @Option({ flags: '-u, --username <username>', required: true })
  parseUsername(value: string): string {
    return value;
  }
}

export const AUTH_COMMANDS = [
  CreateUserCommand,
  ResetPasswordCommand,
  DisableTwoFactorCommand,
  CreateUserQuestions,
  NewPasswordQuestions,
];
