import { Module } from '@nestjs/common';

import { constraintMessages } from '../../common/errors/index.js';
import { TagsController } from './tags.controller.js';
import { TagsService } from './tags.service.js';
import { TAG_CONSTRAINTS } from './tags.errors.js';

@Module({
  controllers: [TagsController],
  providers: [constraintMessages('tags', TAG_CONSTRAINTS), TagsService],
  exports: [TagsService],
})
export class TagsModule {}
