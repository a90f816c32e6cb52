import { Module } from '@nestjs/common';

import { constraintMessages } from '../../common/errors/index.js';
import { PasswordService } from './password.service.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';
import { USER_CONSTRAINTS } from './users.errors.js';

@Module({
  controllers: [UsersController],
  providers: [constraintMessages('users', USER_CONSTRAINTS), UsersService, PasswordService],
  exports: [UsersService, PasswordService],
})
export class UsersModule {}
