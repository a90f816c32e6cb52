import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

import { ListCommunicationsQueryDto } from '../../communications/dto/communication.dto.js';
import { ListContactsQueryDto } from '../../contacts/dto/contact-request.dto.js';
import { ListLpProfilesQueryDto } from '../../lp-profiles/dto/lp-profile.dto.js';
import { ListOpportunitiesQueryDto } from '../../opportunities/dto/opportunity.dto.js';
import { ListOrganizationsQueryDto } from '../../organizations/dto/organization.dto.js';
import { ListTasksQueryDto } from '../../tasks/dto/task.dto.js';
import type { ExportFormat } from '../export-stream.js';

const FORMAT = (): PropertyDecorator => (target, key) => {
  ApiPropertyOptional({ enum: ['csv', 'json'], default: 'csv' })(target, key);
  IsOptional()(target, key);
  IsIn(['csv', 'json'], { message: 'must be csv or json' })(target, key);
};

/** The contact list's filters (limit, offset and sort do not apply: every match is exported) and a format. */
export class ExportContactsQueryDto extends ListContactsQueryDto {
  @FORMAT() format?: ExportFormat;
}

export class ExportOrganizationsQueryDto extends ListOrganizationsQueryDto {
  @FORMAT() format?: ExportFormat;
}

export class ExportCommunicationsQueryDto extends ListCommunicationsQueryDto {
  @FORMAT() format?: ExportFormat;
}

export class ExportOpportunitiesQueryDto extends ListOpportunitiesQueryDto {
  @FORMAT() format?: ExportFormat;
}

export class ExportLpProfilesQueryDto extends ListLpProfilesQueryDto {
  @FORMAT() format?: ExportFormat;
}

export class ExportTasksQueryDto extends ListTasksQueryDto {
  @FORMAT() format?: ExportFormat;
}
