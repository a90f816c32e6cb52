import type { AdminJSOptions } from 'adminjs';

import { COMPONENTS } from '../admin-components.js';
import type { AdminServices } from '../admin-services.js';
import { duplicatesPage } from './duplicates.page.js';
import { pipelinePage } from './pipeline.page.js';
import { searchPage } from './search.page.js';

/** The back office's own pages (/admin/pages/<name>), in sidebar order; their data and writes via the services. */
export const adminPages = (services: AdminServices): AdminJSOptions['pages'] => ({
  pipeline: { component: COMPONENTS.PipelineBoard, icon: 'Columns', handler: pipelinePage(services) },
  duplicates: { component: COMPONENTS.Duplicates, icon: 'Copy', handler: duplicatesPage(services) },
  search: { component: COMPONENTS.SearchPage, icon: 'Search', handler: searchPage(services) },
});
