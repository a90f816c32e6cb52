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
import { PagingQueryDto } from '../../common/dto/paging.dto.js';
import { ApiIfMatch, expectedVersion, IfMatchVersion } from '../../common/entities/versioning.js';
import { UuidParam } from '../../common/pipes/uuid.pipe.js';
import { ContactBulkService } from './contact-bulk.service.js';
import { ContactMergeService } from './contact-merge.service.js';
import { ContactsService } from './contacts.service.js';
import {
  BulkContactsDto,
  BulkResultEnvelopeDto,
  DuplicateListDto,
  MergeContactDto,
} from './dto/contact-actions.dto.js';
import {
  ContactDetailQueryDto,
  CreateContactDto,
  ListContactsQueryDto,
  ReplaceContactDto,
  UpdateContactDto,
} from './dto/contact-request.dto.js';
import { ContactDetailEnvelopeDto, ContactEnvelopeDto, ContactListDto } from './dto/contact-response.dto.js';

@ApiTags('contacts')
@Controller('contacts')
export class ContactsController {
  constructor(
    private readonly contacts: ContactsService,
    private readonly merging: ContactMergeService,
    private readonly bulkActions: ContactBulkService,
  ) {}

  @Get()
  @Auth()
  @ApiOperation({ summary: 'List contacts (search matches names, email and organization name)' })
  @ApiOkResponse({ type: ContactListDto })
  list(@Query() query: ListContactsQueryDto, @CurrentUser() caller: AuthUser): Promise<ContactListDto> {
    return this.contacts.list(query, caller);
  }

  // Declared before ':id' so "duplicates" is not read as an id.
  @Get('duplicates')
  @Auth()
  @ApiOperation({
    summary: 'Groups of likely duplicate contacts',
    description:
      'Live contacts with the same email ignoring case, and similar full names (pg_trgm similarity > 0.6) ' +
      'within one organization. Paged over groups: `total` counts groups.',
  })
  @ApiOkResponse({ type: DuplicateListDto })
  duplicates(@Query() paging: PagingQueryDto): Promise<DuplicateListDto> {
    return this.merging.duplicates(paging);
  }

  @Get(':id')
  @Auth()
  @ApiOperation({
    summary: 'One contact with communications, opportunities, LP profiles and tasks',
    description:
      'Embeds its organization, owner, tags, custom fields, communications, opportunities, LP profiles and ' +
      'tasks; `include` picks some of them (e.g. `include=organization`) and leaves the others out. An ' +
      'unknown name is a 400. One database statement either way.',
  })
  @ApiOkResponse({ type: ContactDetailEnvelopeDto })
  async get(
    @UuidParam() id: string,
    @Query() query: ContactDetailQueryDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<ContactDetailEnvelopeDto> {
    return { data: await this.contacts.get(id, caller, query) };
  }

  @Post()
  @Auth()
  @ApiOperation({ summary: 'Create a contact' })
  @ApiCreatedResponse({ type: ContactEnvelopeDto })
  async create(@Body() dto: CreateContactDto): Promise<ContactEnvelopeDto> {
    return { data: await this.contacts.create(dto) };
  }

  @Post('bulk')
  @Auth(Role.Manager)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Tag, untag, assign or delete up to 500 contacts at once (all or nothing)',
    description: 'If any id is unknown or deleted nothing changes and the answer is 400 listing those ids.',
  })
  @ApiOkResponse({ type: BulkResultEnvelopeDto })
  async bulk(@Body() dto: BulkContactsDto, @CurrentUser() caller: AuthUser): Promise<BulkResultEnvelopeDto> {
    return { data: await this.bulkActions.apply(dto, caller) };
  }

  @Put(':id')
  @Auth()
  @ApiOperation({ summary: 'Replace a contact (fields left out are cleared)' })
  @ApiIfMatch()
  @ApiOkResponse({ type: ContactEnvelopeDto })
  async replace(
    @UuidParam() id: string,
    @Body() dto: ReplaceContactDto,
    @IfMatchVersion() ifMatch?: number,
  ): Promise<ContactEnvelopeDto> {
    return { data: await this.contacts.replace(id, dto, expectedVersion(dto.version, ifMatch)) };
  }

  @Patch(':id')
  @Auth()
  @ApiOperation({ summary: 'Change some fields of a contact (null clears an optional field)' })
  @ApiIfMatch()
  @ApiOkResponse({ type: ContactEnvelopeDto })
  async update(
    @UuidParam() id: string,
    @Body() dto: UpdateContactDto,
    @IfMatchVersion() ifMatch?: number,
  ): Promise<ContactEnvelopeDto> {
    return { data: await this.contacts.update(id, dto, expectedVersion(dto.version, ifMatch)) };
  }

  @Delete(':id')
  @Auth(Role.Manager)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a contact (soft: restorable)' })
  @ApiNoContentResponse()
  async remove(@UuidParam() id: string, @CurrentUser() caller: AuthUser): Promise<void> {
    await this.contacts.softDelete(id, caller);
  }

  @Post(':id/restore')
  @Auth(Role.Manager)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Restore a deleted contact (409 if a live contact now has its email)' })
  @ApiOkResponse({ type: ContactEnvelopeDto })
  async restore(@UuidParam() id: string): Promise<ContactEnvelopeDto> {
    return { data: await this.contacts.restore(id) };
  }

  @Post(':id/merge')
  @Auth(Role.Manager)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Merge another contact into this one',
    description:
      'One transaction: moves the source’s communications, opportunities, tasks and LP profiles here, unites ' +
      'tags, fills this contact’s empty fields from the source and deletes the source (softly). 409 ' +
      'MERGE_CONFLICT when both have an LP profile for the same fund.',
  })
  @ApiOkResponse({ type: ContactEnvelopeDto })
  async merge(
    @UuidParam() id: string,
    @Body() dto: MergeContactDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<ContactEnvelopeDto> {
    return { data: await this.merging.merge(id, dto.sourceId.toLowerCase(), caller) };
  }
}
