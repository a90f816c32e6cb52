import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { Role } from '../../common/auth/role.js';
import { Auth } from '../../common/decorators/auth.decorator.js';
import { UuidParam } from '../../common/pipes/uuid.pipe.js';
import { CreateTagDto, ListTagsQueryDto, TagEnvelopeDto, TagListDto, UpdateTagDto } from './dto/tag.dto.js';
import { TagsService } from './tags.service.js';

@ApiTags('tags')
@Controller('tags')
export class TagsController {
  constructor(private readonly tags: TagsService) {}

  @Get()
  @Auth()
  @ApiOperation({ summary: 'List tags with how many live contacts and organizations carry each' })
  @ApiOkResponse({ type: TagListDto })
  list(@Query() query: ListTagsQueryDto): Promise<TagListDto> {
    return this.tags.list(query);
  }

  @Get(':id')
  @Auth()
  @ApiOkResponse({ type: TagEnvelopeDto })
  async get(@UuidParam() id: string): Promise<TagEnvelopeDto> {
    return { data: await this.tags.get(id) };
  }

  @Post()
  @Auth(Role.Manager)
  @ApiCreatedResponse({ type: TagEnvelopeDto })
  async create(@Body() dto: CreateTagDto): Promise<TagEnvelopeDto> {
    return { data: await this.tags.create(dto) };
  }

  @Patch(':id')
  @Auth(Role.Manager)
  @ApiOkResponse({ type: TagEnvelopeDto })
  async update(@UuidParam() id: string, @Body() dto: UpdateTagDto): Promise<TagEnvelopeDto> {
    return { data: await this.tags.update(id, dto) };
  }

  @Delete(':id')
  @Auth(Role.Manager)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a tag: it is removed from every contact and organization' })
  @ApiNoContentResponse()
  async remove(@UuidParam() id: string): Promise<void> {
    await this.tags.remove(id);
  }
}
