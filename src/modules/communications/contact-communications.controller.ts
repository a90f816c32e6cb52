import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { type AuthUser, CurrentUser } from '../../common/auth/auth-user.js';
import { Auth } from '../../common/decorators/auth.decorator.js';
import { UuidParam } from '../../common/pipes/uuid.pipe.js';
import { CommunicationsService } from './communications.service.js';
import { CommunicationFiltersQueryDto, CommunicationListDto } from './dto/communication.dto.js';

/** The contacts module owns /contacts; this one route belongs with the communications it lists. */
@ApiTags('contacts')
@Controller('contacts')
export class ContactCommunicationsController {
  constructor(private readonly communications: CommunicationsService) {}

  @Get(':id/communications')
  @Auth()
  @ApiOperation({
    summary: "A contact's communications, newest first",
    description: 'A deleted contact is a 404 unless a manager asks with includeDeleted=true.',
  })
  @ApiOkResponse({ type: CommunicationListDto })
  list(
    @UuidParam() id: string,
    @Query() query: CommunicationFiltersQueryDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<CommunicationListDto> {
    return this.communications.forContact(id, query, caller);
  }
}
