import type { EntityClass } from '@mikro-orm/core';

import { AuditLog } from '../modules/audit/audit-log.entity.js';
import { ApiToken } from '../modules/auth/api-token.entity.js';
import { Communication } from '../modules/communications/communication.entity.js';
import { Contact, ContactTag } from '../modules/contacts/contact.entity.js';
import { CustomFieldDefinition } from '../modules/custom-fields/custom-field-definition.entity.js';
import { Fund } from '../modules/funds/fund.entity.js';
import { ImportBatch, ImportBatchRecord } from '../modules/import/import-batch.entity.js';
import { JobRun } from '../modules/jobs/job-run.entity.js';
import { LpProfile } from '../modules/lp-profiles/lp-profile.entity.js';
import { TaskReminder } from '../modules/notifications/task-reminder.entity.js';
import { OpportunityStageChange } from '../modules/opportunities/opportunity-stage-change.entity.js';
import { Opportunity } from '../modules/opportunities/opportunity.entity.js';
import { Organization, OrganizationTag } from '../modules/organizations/organization.entity.js';
import { Tag } from '../modules/tags/tag.entity.js';
import { Task } from '../modules/tasks/task.entity.js';
import {
  ReportCommunicationDay,
  ReportContactTotal,
  ReportDealStage,
  ReportDealTotal,
  ReportStageVisit,
} from '../modules/reports/report-totals.entity.js';
import { User } from '../modules/users/user.entity.js';

/** Every entity of the app, listed explicitly (no folder globbing: works the same from src/ and dist/). */
export const ENTITIES: EntityClass<unknown>[] = [
  User,
  ApiToken,
  AuditLog,
  Tag,
  Organization,
  OrganizationTag,
  Contact,
  ContactTag,
  Fund,
  Opportunity,
  OpportunityStageChange,
  LpProfile,
  Communication,
  Task,
  CustomFieldDefinition,
  JobRun,
  TaskReminder,
  ImportBatch,
  ImportBatchRecord,
  ReportDealTotal,
  ReportContactTotal,
  ReportCommunicationDay,
  ReportDealStage,
  ReportStageVisit,
];
