import { Module } from '@nestjs/common';

import { constraintMessages } from '../../common/errors/index.js';
import { OpportunitiesController } from './opportunities.controller.js';
import { OpportunitiesService } from './opportunities.service.js';
import { OpportunitiesRepository } from './opportunities.repository.js';
import { OPPORTUNITY_CONSTRAINTS } from './opportunities.errors.js';

@Module({
  controllers: [OpportunitiesController],
  providers: [
    constraintMessages('opportunities', OPPORTUNITY_CONSTRAINTS),
    OpportunitiesService,
    OpportunitiesRepository,
  ],
  exports: [OpportunitiesService, OpportunitiesRepository],
})
export class OpportunitiesModule {}
