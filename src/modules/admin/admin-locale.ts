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
    indexStatus: 'Range filter index',
    force: 'Clear values that do not fit',
  },
};

export const ADMIN_TRANSLATIONS: Partial<LocaleTranslations> = {
  labels: {
    ...RESOURCE_LABELS,
    navigation: 'Navigation',
    dashboard: 'Dashboard',
    pages: 'Pages',
    loginWelcome: 'venture-crm',
  },
  properties: {
    deletedRecords: 'Deleted records',
    related: 'Related records',
    createdAt: 'Created',
    updatedAt: 'Updated',
  },
  // Refusals in words a user acts on, not AdminJS's developer messages ("Resource of given id: User cannot be
  // found"): the page may not exist, or the user's role may not open it — and what to do then.
  messages: {
    loginWelcome: 'venture-crm back office',
    pageNotFound_title: 'This page is not open to you',
    pageNotFound_subtitle:
      'The page does not exist, or your role does not open it: the import wizard is for managers and admins; backups and job runs for admins. Ask an admin if you need it.',
    error404Resource:
      'It does not exist, or your role does not give access to it: custom field definitions and tags are for managers; users, API tokens, backups and the audit log for admins. Ask an admin if you need it.',
    error404Action:
      'You cannot do this here: the action does not exist for these records, or your role does not allow it (members read, create and edit CRM records; managers also delete, restore and manage tags and custom fields; admins manage users and settings). Ask a manager or an admin.',
    error404Record:
      'This record does not exist, was deleted, or your role may not see it. Go back to the list to find it again.',
    forbiddenError:
      'Your role does not allow this action. Members read, create and edit CRM records; managers also delete, restore and manage tags and custom fields; admins manage users and settings.',
    errorFetchingRecords:
      'These records could not be loaded: your role may not open them, or a filter was refused. Remove the last filter, or reload the page.',
    errorFetchingRecord: 'This record could not be loaded. Reload the page, or go back to the list.',
  },
  pages: {
    pipeline: 'Pipeline board',
    lpTracker: 'LP tracker',
    duplicates: 'Duplicates',
    importWizard: 'Import wizard',
    search: 'Search',
    backups: 'Backups',
    jobRuns: 'Job runs',
  },
  resources: Object.fromEntries(
    Object.keys(RESOURCE_LABELS).map((id) => [
      id,
      { properties: PROPERTY_LABELS[id] ?? {}, actions: actionLabels(id) },
    ]),
  ),
};
