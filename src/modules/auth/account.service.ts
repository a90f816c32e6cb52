import { Injectable } from '@nestjs/common';

import type { AuthUser } from '../../common/auth/auth-user.js';
import { ValidationError } from '../../common/errors/index.js';
import { type MailPreferencesDto, UserResponseDto } from '../users/dto/user.dto.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { TwoFactorStateError } from './auth.errors.js';
import { PasswordService } from '../users/password.service.js';
import { type TwoFactorSetup, TwoFactorService } from './two-factor.service.js';

/** What signed-in users do to their own account. */
@Injectable()
export class AccountService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly twoFactor: TwoFactorService,
  ) {}

  async me(caller: AuthUser): Promise<UserResponseDto> {
    return UserResponseDto.from(await this.users.get(caller.id));
  }

  async updateMe(caller: AuthUser, dto: MailPreferencesDto): Promise<UserResponseDto> {
    return UserResponseDto.from(await this.users.setMailPreferences(caller.id, dto));
  }

  async setupTwoFactor(caller: AuthUser): Promise<TwoFactorSetup> {
    return this.twoFactor.setup(await this.users.get(caller.id));
  }

  async enableTwoFactor(caller: AuthUser, code: string): Promise<string[]> {
    return this.twoFactor.enable(await this.users.get(caller.id), code);
  }

  async disableTwoFactor(caller: AuthUser, password: string, code: string): Promise<void> {
    const user: User = await this.users.get(caller.id);
    if (!user.twoFactorEnabled)
      throw new TwoFactorStateError('TWO_FACTOR_NOT_ENABLED', 'Two-factor authentication is not enabled');
    const withCredentials = await this.users.findByLogin(user.username);
    if (!(await this.passwords.verify(withCredentials?.passwordHash, password))) {
      throw ValidationError.field('password', 'is not your current password');
    }
    if (!(await this.twoFactor.verifyCode(user, code))) {
      throw ValidationError.field(
        'code',
        'is neither the current authenticator code nor an unused recovery code',
      );
    }
    await this.twoFactor.disable(user);
  }
}
