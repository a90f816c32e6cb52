import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { type AuthUser, CurrentUser } from '../../common/auth/auth-user.js';
import { Role } from '../../common/auth/role.js';
import { Auth } from '../../common/decorators/auth.decorator.js';
import { UuidParam } from '../../common/pipes/uuid.pipe.js';
import {
  CreateUserDto,
  ListUsersQueryDto,
  UpdateUserDto,
  UserEnvelopeDto,
  UserListDto,
  UserResponseDto,
} from './dto/user.dto.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@Auth(Role.Admin)
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'List users' })
  @ApiOkResponse({ type: UserListDto })
  list(@Query() query: ListUsersQueryDto): Promise<UserListDto> {
    return this.users.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user' })
  @ApiOkResponse({ type: UserEnvelopeDto })
  async get(@UuidParam() id: string): Promise<UserEnvelopeDto> {
    return { data: UserResponseDto.from(await this.users.get(id)) };
  }

  @Post()
  @ApiOperation({ summary: 'Create a user (there is no self-registration)' })
  @ApiCreatedResponse({ type: UserEnvelopeDto })
  async create(@Body() dto: CreateUserDto): Promise<UserEnvelopeDto> {
    return { data: UserResponseDto.from(await this.users.create(dto)) };
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change role, email, name, or deactivate (users are never deleted)' })
  @ApiOkResponse({ type: UserEnvelopeDto })
  async update(
    @UuidParam() id: string,
    @Body() dto: UpdateUserDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<UserEnvelopeDto> {
    return { data: UserResponseDto.from(await this.users.update(id, dto, caller.id)) };
  }
}
