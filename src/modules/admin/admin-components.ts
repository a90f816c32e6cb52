import { join } from 'node:path';

import { projectRoot } from '../../common/utils/project-root.js';

/**
 * The back office's own React components (components/*.jsx), by the id AdminJS knows them by. `Login`
 * replaces AdminJS's sign-in page. They are bundled once by `npm run build` (build-bundle.ts) into
 * dist/adminjs/components.bundle.js, which the app serves; nothing is bundled or written at run time.
 */
export const COMPONENT_FILES = {
  Login: 'Login.jsx',
  Dashboard: 'Dashboard.jsx',
  Related: 'Related.jsx',
  DeletedFilter: 'DeletedFilter.jsx',
  TagList: 'TagList.jsx',
  CustomFields: 'CustomFields.jsx',
  DayPicker: 'DayPicker.jsx',
  OptionsList: 'OptionsList.jsx',
  WhenSet: 'WhenSet.jsx',
  Money: 'Money.jsx',
  TagPicker: 'TagPicker.jsx',
  FundSummary: 'FundSummary.jsx',
  ConfirmAction: 'ConfirmAction.jsx',
  Backups: 'Backups.jsx',
  JobRuns: 'JobRuns.jsx',
  LpTracker: 'LpTracker.jsx',
  PipelineBoard: 'PipelineBoard.jsx',
  Duplicates: 'Duplicates.jsx',
  SearchPage: 'SearchPage.jsx',
  ImportWizard: 'ImportWizard.jsx',
  // Registered under AdminJS's own name: the top bar, with the global search (GlobalSearch.jsx) in it.
  TopBar: 'TopBar.jsx',
  RecordHub: 'RecordHub.jsx',
  TaskDue: 'TaskDue.jsx',
  LinkValue: 'LinkValue.jsx',
  StageProbability: 'StageProbability.jsx',
  StageAction: 'StageAction.jsx',
  // Registered under AdminJS's own names: the list's filter drawer closes on Apply; the list's table gets
  // preset filters and removable chips above it; new and edit forms return where they were opened from.
  FilterDrawer: 'FilterDrawer.jsx',
  RecordsTable: 'RecordsTable.jsx',
  DefaultNewAction: 'FormReturn.jsx',
  DefaultEditAction: 'FormReturn.jsx',
  // Registered under AdminJS's own name: a record's page, mounted afresh for each record and action.
  RecordActionRoute: 'RecordActionRoute.jsx',
  // Registered under AdminJS's own name: field help as the browser's tooltip, which stays in the window.
  PropertyDescription: 'PropertyDescription.jsx',
  // Registered under AdminJS's own name: the top bar's user menu, whose "Log out" POSTs.
  LoggedIn: 'LoggedIn.jsx',
  // Registered under AdminJS's own name: replaces its reference input everywhere.
  DefaultReferenceEditProperty: 'ReferenceEdit.jsx',
} as const;

export type ComponentId = keyof typeof COMPONENT_FILES;
export type AdminComponents = { [K in ComponentId]: K };

export const COMPONENTS = Object.fromEntries(
  Object.keys(COMPONENT_FILES).map((id) => [id, id]),
) as AdminComponents;

export const componentSource = (id: ComponentId): string =>
  join(projectRoot(), 'src', 'modules', 'admin', 'components', COMPONENT_FILES[id]);

export const componentsBundlePath = (): string =>
  join(projectRoot(), 'dist', 'adminjs', 'components.bundle.js');
