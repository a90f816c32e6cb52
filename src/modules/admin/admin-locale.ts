import type { LocaleTranslations } from 'adminjs';

/** Sidebar and page names of the resources (AdminJS shows the entity class name otherwise). */
export const RESOURCE_LABELS: Record<string, string> = {
  Organization: 'Organizations',
  Contact: 'Contacts',
  Tag: 'Tags',
  Fund: 'Funds',
  Opportunity: 'Opportunities',
  OpportunityStageChange: 'Stage history',
  LpProfile: 'LP Profiles',
  Communication: 'Communications',
  Task: 'Tasks',
  User: 'Users',
  CustomFieldDefinition: 'Custom Fields',
  ApiToken: 'API Tokens',
  AuditLog: 'Audit Log',
};

/** One record of each resource, for page titles and buttons ("New contact", "Edit organization"). */
const SINGULAR: Record<string, string> = {
  Organization: 'organization',
  Contact: 'contact',
  Tag: 'tag',
  Fund: 'fund',
  Opportunity: 'opportunity',
  OpportunityStageChange: 'stage change',
  LpProfile: 'LP profile',
  Communication: 'communication',
  Task: 'task',
  User: 'user',
  CustomFieldDefinition: 'custom field',
  ApiToken: 'API token',
  AuditLog: 'audit entry',
};

/** "contact", "LP profile": one record of a resource, for messages. */
export const singular = (resourceId: string): string => SINGULAR[resourceId] ?? resourceId;

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function actionLabels(id: string): Record<string, string> {
  const one = SINGULAR[id] ?? id;
  return {
    list: RESOURCE_LABELS[id] ?? id,
    show: capitalised(one),
    new: `New ${one}`,
    edit: `Edit ${one}`,
    delete: 'Delete',
    restore: 'Restore',
    revoke: 'Revoke',
    createTask: 'Create task',
    moveStage: 'Move to next stage',
  };
}

const PROPERTY_LABELS: Record<string, Record<string, string>> = {
  Contact: { name: 'Name', linkedinUrl: 'LinkedIn', contactType: 'Type' },
  Communication: { communicationDate: 'Date', durationMinutes: 'Duration (minutes)' },
  LpProfile: { k1Sent: 'K-1 sent', legalDocsSigned: 'Legal docs signed' },
  ApiToken: { tokenPrefix: 'Starts with' },
  AuditLog: {
    actorLabel: 'Who',
    actorUserId: 'User id',
    actorTokenId: 'API token id',
    changeList: 'Changes',
    details: 'Details',
    createdAt: 'When',
  },
  User: { twoFactorEnabled: '2FA', isActive: 'Active', fullName: 'Full name' },
  CustomFieldDefinition: {
    entityType: 'Record type',
    fieldType: 'Type',
    displayOrder: 'Order',
    helpText: 'Help text',
    force: 'Clear values that do not fit',
  },
};

export const ADMIN_TRANSLATIONS: Partial<LocaleTranslations> = {
  labels: {
    ...RESOURCE_LABELS,
    navigation: 'Navigation',
    dashboard: 'Dashboard',
    loginWelcome: 'venture-crm',
  },
  properties: {
    deletedRecords: 'Deleted records',
    related: 'Related records',
    createdAt: 'Created',
    updatedAt: 'Updated',
  },
  messages: {
    loginWelcome: 'venture-crm back office',
  },
  resources: Object.fromEntries(
    Object.keys(RESOURCE_LABELS).map((id) => [
      id,
      { properties: PROPERTY_LABELS[id] ?? {}, actions: actionLabels(id) },
    ]),
  ),
};
