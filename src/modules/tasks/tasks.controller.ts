import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { type AuthUser, CurrentUser } from '../../common/auth/auth-user.js';
import { Role } from '../../common/auth/role.js';
import { Auth } from '../../common/decorators/auth.decorator.js';
import { UuidParam } from '../../common/pipes/uuid.pipe.js';
import {
  CreateTaskDto,
  ListTasksQueryDto,
  ReplaceTaskDto,
  TaskEnvelopeDto,
  TaskListDto,
  UpdateTaskDto,
} from './dto/task.dto.js';
import { TasksService } from './tasks.service.js';

@ApiTags('tasks')
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @Auth()
  @ApiOperation({
    summary: 'List tasks',
    description: "Soonest due first by default (undated last). Due filters use the server's local date.",
  })
  @ApiOkResponse({ type: TaskListDto })
  list(@Query() query: ListTasksQueryDto, @CurrentUser() caller: AuthUser): Promise<TaskListDto> {
    return this.tasks.list(query, caller);
  }

  @Get(':id')
  @Auth()
  @ApiOperation({ summary: 'One task' })
  @ApiOkResponse({ type: TaskEnvelopeDto })
  async get(@UuidParam() id: string): Promise<TaskEnvelopeDto> {
    return { data: await this.tasks.get(id) };
  }

  @Post()
  @Auth()
  @ApiOperation({ summary: 'Create a task (assigned to you unless assigneeId says otherwise)' })
  @ApiCreatedResponse({ type: TaskEnvelopeDto })
  async create(@Body() dto: CreateTaskDto, @CurrentUser() caller: AuthUser): Promise<TaskEnvelopeDto> {
    return { data: await this.tasks.create(dto, caller) };
  }

  @Put(':id')
  @Auth()
  @ApiOperation({ summary: 'Replace a task (fields left out are cleared; last write wins)' })
  @ApiOkResponse({ type: TaskEnvelopeDto })
  async replace(@UuidParam() id: string, @Body() dto: ReplaceTaskDto): Promise<TaskEnvelopeDto> {
    return { data: await this.tasks.replace(id, dto) };
  }

  @Patch(':id')
  @Auth()
  @ApiOperation({ summary: 'Change some fields of a task; status done sets completedAt, open clears it' })
  @ApiOkResponse({ type: TaskEnvelopeDto })
  async update(@UuidParam() id: string, @Body() dto: UpdateTaskDto): Promise<TaskEnvelopeDto> {
    return { data: await this.tasks.update(id, dto) };
  }

  @Delete(':id')
  @Auth(Role.Manager)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a task (permanently)' })
  @ApiNoContentResponse()
  async remove(@UuidParam() id: string): Promise<void> {
    await this.tasks.remove(id);
  }
}
