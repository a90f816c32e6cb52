import { Module } from '@nestjs/common';

import { constraintMessages } from '../../common/errors/index.js';
import { FundsController } from './funds.controller.js';
import { FundsService } from './funds.service.js';
import { FUND_CONSTRAINTS } from './funds.errors.js';
import { FundsRepository } from './funds.repository.js';

@Module({
  controllers: [FundsController],
  providers: [constraintMessages('funds', FUND_CONSTRAINTS), FundsRepository, FundsService],
  exports: [FundsService],
})
export class FundsModule {}
