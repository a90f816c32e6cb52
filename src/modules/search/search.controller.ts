import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Auth } from '../../common/decorators/auth.decorator.js';
import { SearchQueryDto, SearchResponseDto } from './dto/search.dto.js';
import { SearchService } from './search.service.js';

@ApiTags('search')
@Controller('search')
export class SearchController {
  constructor(private readonly searchService: SearchService) {}

  @Get()
  @Auth()
  @ApiOperation({
    summary: 'Search contacts, organizations, opportunities and communications at once',
    description:
      'One list ranked by score (best first), at most `limit` hits; each type contributes at most `limit`. ' +
      'Deleted records, and communications of deleted contacts or opportunities, are never returned.',
  })
  @ApiOkResponse({ type: SearchResponseDto })
  async search(@Query() query: SearchQueryDto): Promise<SearchResponseDto> {
    return { data: await this.searchService.search(query) };
  }
}
