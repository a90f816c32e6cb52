import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';

import { Embedded, EmbeddedCustomFields, EmbeddedTags, included } from '../../../common/dto/embedded.js';
import { ListMetaDto } from '../../../common/dto/paging.dto.js';
import { RefDto, TagRefDto, UserRefDto } from '../../../common/dto/refs.dto.js';
import { ContactMethod, Priority } from '../../../common/entities/enums.js';
import { CommunicationType } from '../../communications/communication.entity.js';
import { communicationFields } from '../../communications/dto/communication.dto.js';
import { InvestorType } from '../../lp-profiles/lp-profile.entity.js';
import { OpportunityStage } from '../../opportunities/opportunity.entity.js';
import { TaskStatus } from '../../tasks/task.entity.js';
import type {
  CommunicationRow,
  ContactDetailDocument,
  LpProfileRow,
  OpportunityRow,
  TaskRow,
} from '../contact-detail.repository.js';
import { ContactStatus, ContactType } from '../contact.entity.js';
import type { ContactRow } from '../contacts.repository.js';
import type { ContactInclude } from './contact-request.dto.js';
import {
  timestamp,
  timestampOrNull,
  money,
  moneyOrNull,
  refOf,
  userRefOf,
} from '../../../common/utils/record-rows.js';

export class ContactResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Dana' }) firstName!: string;
  @ApiProperty({ example: 'Ruiz', description: 'Empty string when unknown' }) lastName!: string;
  @ApiProperty({ nullable: true, type: String, example: 'dana@summit.example' }) email!: string | null;
  @ApiProperty({ nullable: true, type: String }) phone!: string | null;
  @ApiProperty({ nullable: true, type: String }) mobile!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'Chief Investment Officer' }) title!: string | null;
  @ApiProperty({ type: RefDto, nullable: true }) organization!: RefDto | null;
  @ApiProperty({ enum: ContactType }) contactType!: ContactType;
  @ApiProperty({ enum: ContactStatus }) status!: ContactStatus;
  @ApiProperty({ nullable: true, type: String, example: 'referral' }) source!: string | null;
  @ApiProperty({ nullable: true, type: String }) notes!: string | null;
  @ApiProperty({ nullable: true, type: String }) linkedinUrl!: string | null;
  @ApiProperty({ enum: ContactMethod, nullable: true }) preferredContact!: ContactMethod | null;
  @ApiProperty({ type: UserRefDto, nullable: true }) owner!: UserRefDto | null;
  @ApiProperty({ type: [TagRefDto] }) tags!: TagRefDto[];
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Custom field values by key' })
  customFields!: Record<string, unknown>;
  @ApiProperty({ description: 'Send it back with updates; a stale one gets 409' }) version!: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deletedAt!: string | null;

  static from(this: void, r: ContactRow): ContactResponseDto {
    return {
      id: r.id,
      firstName: r.firstName,
      lastName: r.lastName,
      email: r.email,
      phone: r.phone,
      mobile: r.mobile,
      title: r.title,
      organization: refOf(r.organizationId, r.organizationName),
      contactType: r.contactType,
      status: r.status,
      source: r.source,
      notes: r.notes,
      linkedinUrl: r.linkedinUrl,
      preferredContact: r.preferredContact,
      owner: r.ownerId ? { id: r.ownerId, username: r.ownerUsername!, fullName: r.ownerFullName! } : null,
      tags: r.tags.map((t) => ({ id: t.id, name: t.name, color: t.color })),
      customFields: r.customFields,
      version: r.version,
      createdAt: timestamp(r.createdAt),
      updatedAt: timestamp(r.updatedAt),
      deletedAt: timestampOrNull(r.deletedAt),
    };
  }
}

export class ContactCommunicationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: CommunicationType }) type!: CommunicationType;
  @ApiProperty({ nullable: true, type: String }) subject!: string | null;
  @ApiProperty({ nullable: true, type: String }) body!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) communicationDate!: string;
  @ApiProperty({ nullable: true, type: Number }) durationMinutes!: number | null;
  @ApiProperty({ nullable: true, type: String }) outcome!: string | null;
  @ApiProperty({ nullable: true, type: String }) nextAction!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) nextActionDate!: string | null;
  @ApiProperty({ type: RefDto, nullable: true }) opportunity!: RefDto | null;
  @ApiProperty({ type: UserRefDto, nullable: true }) createdBy!: UserRefDto | null;

  static from(this: void, r: CommunicationRow): ContactCommunicationDto {
    return {
      ...communicationFields(r),
      opportunity: refOf(r.opportunityId, r.opportunityName),
      createdBy: userRefOf(r),
    };
  }
}

export class ContactOpportunityDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: OpportunityStage }) stage!: OpportunityStage;
  @ApiProperty() probability!: number;
  @ApiProperty({ nullable: true, type: Number }) expectedAmount!: number | null;
  @ApiProperty({ nullable: true, type: Number }) commitmentAmount!: number | null;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) expectedCloseDate!: string | null;
  @ApiProperty({ enum: Priority }) priority!: Priority;
  @ApiProperty({ type: RefDto, nullable: true }) fund!: RefDto | null;
  @ApiProperty({ type: UserRefDto, nullable: true }) owner!: UserRefDto | null;

  static from(this: void, r: OpportunityRow): ContactOpportunityDto {
    return {
      id: r.id,
      name: r.name,
      stage: r.stage,
      probability: r.probability,
      expectedAmount: moneyOrNull(r.expectedAmount),
      commitmentAmount: moneyOrNull(r.commitmentAmount),
      currency: r.currency,
      expectedCloseDate: r.expectedCloseDate,
      priority: r.priority,
      fund: refOf(r.fundId, r.fundName),
      owner: userRefOf(r),
    };
  }
}

export class ContactLpProfileDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: RefDto }) fund!: RefDto;
  @ApiProperty({ example: 5000000 }) commitmentAmount!: number;
  @ApiProperty({ example: 2500000 }) fundedAmount!: number;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) commitmentDate!: string | null;
  @ApiProperty({ enum: InvestorType, nullable: true }) investorType!: InvestorType | null;
  @ApiProperty() accredited!: boolean;
  @ApiProperty() legalDocsSigned!: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) signedDate!: string | null;
  @ApiProperty() wireReceived!: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) wireDate!: string | null;
  @ApiProperty() k1Sent!: boolean;
  @ApiProperty() version!: number;

  static from(this: void, r: LpProfileRow): ContactLpProfileDto {
    return {
      id: r.id,
      fund: { id: r.fundId, name: r.fundName },
      commitmentAmount: money(r.commitmentAmount),
      fundedAmount: money(r.fundedAmount),
      currency: r.currency,
      commitmentDate: r.commitmentDate,
      investorType: r.investorType,
      accredited: r.accredited,
      legalDocsSigned: r.legalDocsSigned,
      signedDate: r.signedDate,
      wireReceived: r.wireReceived,
      wireDate: r.wireDate,
      k1Sent: r.k1Sent,
      version: r.version,
    };
  }
}

export class ContactTaskDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: TaskStatus }) status!: TaskStatus;
  @ApiProperty({ enum: Priority }) priority!: Priority;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) dueDate!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt!: string | null;
  @ApiProperty({ type: UserRefDto, nullable: true }) assignee!: UserRefDto | null;

  static from(this: void, r: TaskRow): ContactTaskDto {
    return {
      id: r.id,
      title: r.title,
      status: r.status,
      priority: r.priority,
      dueDate: r.dueDate,
      completedAt: timestampOrNull(r.completedAt),
      assignee: userRefOf(r),
    };
  }
}

export class ContactDetailDto extends OmitType(ContactResponseDto, [
  'organization',
  'owner',
  'tags',
  'customFields',
] as const) {
  @Embedded({ type: RefDto, nullable: true }) organization?: RefDto | null;
  @Embedded({ type: UserRefDto, nullable: true }) owner?: UserRefDto | null;
  @EmbeddedTags() tags?: TagRefDto[];
  @EmbeddedCustomFields() customFields?: Record<string, unknown>;
  @Embedded({ type: [ContactCommunicationDto], description: 'The 50 most recent, newest first' })
  communications?: ContactCommunicationDto[];
  @ApiPropertyOptional({
    description: 'All communications with this contact (the list above shows at most 50); comes with it',
  })
  communicationsTotal?: number;
  @Embedded({ type: [ContactOpportunityDto], description: 'Live opportunities, newest first' })
  opportunities?: ContactOpportunityDto[];
  @Embedded({ type: [ContactLpProfileDto] }) lpProfiles?: ContactLpProfileDto[];
  @Embedded({ type: [ContactTaskDto], description: 'Open tasks first, then by due date' })
  tasks?: ContactTaskDto[];

  /** The detail document as the response shows it: the contact's own fields and what `include` asks for. */
  static from(
    this: void,
    doc: ContactDetailDocument,
    include: ReadonlySet<ContactInclude>,
  ): ContactDetailDto {
    const { organization, owner, tags, customFields, ...own } = ContactResponseDto.from(doc.record);
    return {
      ...own,
      ...included({ organization, owner, tags, customFields }, include),
      ...(doc.communications && {
        communications: doc.communications.map(ContactCommunicationDto.from),
        communicationsTotal: doc.communicationsTotal,
      }),
      ...(doc.opportunities && { opportunities: doc.opportunities.map(ContactOpportunityDto.from) }),
      ...(doc.lpProfiles && { lpProfiles: doc.lpProfiles.map(ContactLpProfileDto.from) }),
      ...(doc.tasks && { tasks: doc.tasks.map(ContactTaskDto.from) }),
    };
  }
}

export class ContactEnvelopeDto {
  @ApiProperty({ type: ContactResponseDto }) data!: ContactResponseDto;
}

export class ContactDetailEnvelopeDto {
  @ApiProperty({ type: ContactDetailDto }) data!: ContactDetailDto;
}

export class ContactListDto extends ListMetaDto {
  @ApiProperty({ type: [ContactResponseDto] }) data!: ContactResponseDto[];
}
