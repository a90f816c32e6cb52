import { Module } from '@nestjs/common';

import { constraintMessages } from '../../common/errors/index.js';
import { LpProfilesController } from './lp-profiles.controller.js';
import { LpProfilesService } from './lp-profiles.service.js';
import { LP_PROFILE_CONSTRAINTS } from './lp-profiles.errors.js';
import { LpProfilesRepository } from './lp-profiles.repository.js';

@Module({
  controllers: [LpProfilesController],
  providers: [
    constraintMessages('lp-profiles', LP_PROFILE_CONSTRAINTS),
    LpProfilesRepository,
    LpProfilesService,
  ],
  exports: [LpProfilesService, LpProfilesRepository],
})
export class LpProfilesModule {}
