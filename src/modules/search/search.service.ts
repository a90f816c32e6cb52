import { Injectable } from '@nestjs/common';

import { type SearchHitDto, type SearchQueryDto, SearchHitType } from './dto/search.dto.js';
import { SearchRepository } from './search.repository.js';

const TYPE_ORDER = Object.values(SearchHitType);

@Injectable()
export class SearchService {
  constructor(private readonly searchRepository: SearchRepository) {}

  /** Ranked hits across contacts, organizations, opportunities and communications; deleted records excluded. */
  async search(query: SearchQueryDto): Promise<SearchHitDto[]> {
    const { q, limit } = query;
    const rows = await this.searchRepository.hits(q, limit);
    return rows
      .map((r) => ({
        type: r.type,
        id: r.id,
        title: r.title,
        subtitle: r.subtitle,
        score: Math.round(Number(r.score) * 10_000) / 10_000,
      }))
      .sort(
        (a, b) =>
          b.score - a.score ||
          TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type) ||
          a.title.localeCompare(b.title),
      )
      .slice(0, limit);
  }
}
