import { Module } from '@nestjs/common';

import { LpProfilesController } from './lp-profiles.controller.js';
import { LpProfilesService } from './lp-profiles.service.js';

@Module({
  controllers: [LpProfilesController],
  providers: [LpProfilesService],
  exports: [LpProfilesService],
})
export class LpProfilesModule {}
