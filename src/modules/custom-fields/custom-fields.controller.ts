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
import { CustomFieldDefinitionsService } from './custom-field-definitions.service.js';
import {
  CreateCustomFieldDto,
  CustomFieldEnvelopeDto,
  CustomFieldListDto,
  ForceQueryDto,
  ListCustomFieldsQueryDto,
  UpdateCustomFieldDto,
} from './dto/custom-field.dto.js';

@ApiTags('custom fields')
@Controller('custom-fields')
export class CustomFieldsController {
  constructor(private readonly definitions: CustomFieldDefinitionsService) {}

  @Get()
  @Auth()
  @ApiOperation({ summary: 'Custom field definitions, by entity type and display order' })
  @ApiOkResponse({ type: CustomFieldListDto })
  list(@Query() query: ListCustomFieldsQueryDto): Promise<CustomFieldListDto> {
    return this.definitions.list(query);
  }

  @Get(':id')
  @Auth()
  @ApiOkResponse({ type: CustomFieldEnvelopeDto })
  async get(@UuidParam() id: string): Promise<CustomFieldEnvelopeDto> {
    return { data: await this.definitions.get(id) };
  }

  @Post()
  @Auth(Role.Manager)
  @ApiOperation({ summary: 'Define a custom field on contacts, organizations, opportunities or LP profiles' })
  @ApiCreatedResponse({ type: CustomFieldEnvelopeDto })
  async create(@Body() dto: CreateCustomFieldDto): Promise<CustomFieldEnvelopeDto> {
    return { data: await this.definitions.create(dto) };
  }

  @Patch(':id')
  @Auth(Role.Manager)
  @ApiOperation({
    summary: 'Change a definition',
    description:
      'The key cannot change once records have values. A new type, or removed options, that would make stored values ' +
      'invalid is refused with 409 unless ?force=true, which clears those values (recorded in the audit log).',
  })
  @ApiOkResponse({ type: CustomFieldEnvelopeDto })
  async update(
    @UuidParam() id: string,
    @Body() dto: UpdateCustomFieldDto,
    @Query() query: ForceQueryDto,
  ): Promise<CustomFieldEnvelopeDto> {
    return { data: await this.definitions.update(id, dto, query.force) };
  }

  @Delete(':id')
  @Auth(Role.Manager)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete a definition: its values leave every record (they stay in the audit log)',
  })
  @ApiNoContentResponse()
  async remove(@UuidParam() id: string): Promise<void> {
    await this.definitions.remove(id);
  }
}
