import { Module } from '@nestjs/common';

import { constraintMessages } from '../../common/errors/index.js';
import { TasksController } from './tasks.controller.js';
import { TasksService } from './tasks.service.js';
import { TASK_CONSTRAINTS } from './tasks.errors.js';
import { TasksRepository } from './tasks.repository.js';

@Module({
  controllers: [TasksController],
  providers: [constraintMessages('tasks', TASK_CONSTRAINTS), TasksRepository, TasksService],
  exports: [TasksService, TasksRepository],
})
export class TasksModule {}
