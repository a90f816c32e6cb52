import { SearchQueryDto } from '../../search/dto/search.dto.js';
import type { AdminServices } from '../admin-services.js';
import { pageHandler, pageInput } from './page-kit.js';

/**
 * Global search (components/GlobalSearch.jsx in the top bar, components/SearchPage.jsx for every hit): GET
 * /api/search through the same SearchService — same query rules, ranking and exclusion of deleted records.
 */
export const searchPage = (s: AdminServices) =>
  pageHandler({
    read: async (query) => ({ data: await s.search.search(await pageInput(SearchQueryDto, query, 'query')) }),
  });
