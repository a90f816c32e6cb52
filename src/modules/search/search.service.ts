import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';

import { escapeLike } from '../../common/utils/sql.js';
import { COMMUNICATION_SEARCH_VECTOR } from '../communications/communication.entity.js';
import { liveLinksSql } from '../communications/communications.repository.js';
import { CONTACT_SEARCH_TEXT } from '../contacts/contact.entity.js';
import { type SearchHitDto, type SearchQueryDto, SearchHitType } from './dto/search.dto.js';

/**
 * How many index matches per type are ranked. Ranking computes a similarity (or re-derives the text vector)
 * per row, so a term matching thousands of rows is ranked on a bounded sample: that keeps every request
 * fast on 100k contacts and 1M communications. Rare terms, the usual case, are ranked exactly.
 */
const NAME_CANDIDATES = 200;
const COMMUNICATION_CANDIDATES = 100;

/** A contact found through its organization's name ranks a little below the organization itself. */
const VIA_ORGANIZATION = 0.9;

const TYPE_ORDER = Object.values(SearchHitType);

interface HitRow {
  type: SearchHitType;
  id: string;
  title: string;
  subtitle: string | null;
  score: number | string;
}

/** Collects bind values in order: MikroORM's `execute` binds one value per `?`. */
class Params {
  readonly values: unknown[] = [];

  bind(value: unknown): string {
    this.values.push(value);
    return '?';
  }
}

@Injectable()
export class SearchService {
  constructor(private readonly em: EntityManager) {}

  /** Ranked hits across contacts, organizations, opportunities and communications; deleted records excluded. */
  async search(query: SearchQueryDto): Promise<SearchHitDto[]> {
    const { q, limit } = query;
    const p = new Params();
    // Template parts are evaluated left to right, so values are bound in the order their `?` appear.
    const sql = `with org_hits as (${this.named('organizations', '"name"', q, limit, p)}),
      contact_hits as (
        select id, max(score) as score from (
          (${this.named('contacts', CONTACT_SEARCH_TEXT, q, limit, p)})
          union all
          (select c.id, oh.score * ${VIA_ORGANIZATION} as score
             from org_hits oh join contacts c on c.organization_id = oh.id and c.deleted_at is null
            order by score desc limit ${p.bind(limit)})
        ) x group by id order by score desc limit ${p.bind(limit)}
      ),
      opportunity_hits as (${this.named('opportunities', '"name"', q, limit, p)}),
      communication_hits as (
        select cand.id,
               ts_rank(${COMMUNICATION_SEARCH_VECTOR}, websearch_to_tsquery('english', ${p.bind(q)}), 32) as score
          from (select m.id, m.subject, m.body from communications m
                 where ${COMMUNICATION_SEARCH_VECTOR} @@ websearch_to_tsquery('english', ${p.bind(q)})
                   and ${liveLinksSql('m')}
                 limit ${COMMUNICATION_CANDIDATES}) cand
         order by score desc limit ${p.bind(limit)}
      )
      select 'contact' as type, c.id, trim(c.first_name || ' ' || c.last_name) as title,
             nullif(concat_ws(' · ', c.title, o.name, c.email), '') as subtitle, h.score
        from contact_hits h join contacts c on c.id = h.id
        left join organizations o on o.id = c.organization_id and o.deleted_at is null
      union all
      select 'organization', o.id, o.name,
             nullif(concat_ws(' · ', replace(o.type::text, '_', ' '), o.city, o.country), ''), h.score
        from org_hits h join organizations o on o.id = h.id
      union all
      select 'opportunity', o.id, o.name,
             concat_ws(' · ', replace(o.stage::text, '_', ' '),
                       coalesce(org.name, trim(ct.first_name || ' ' || ct.last_name))),
             h.score
        from opportunity_hits h join opportunities o on o.id = h.id
        left join organizations org on org.id = o.organization_id and org.deleted_at is null
        left join contacts ct on ct.id = o.contact_id and ct.deleted_at is null
      union all
      select 'communication', m.id, coalesce(nullif(m.subject, ''), left(m.body, 80), m.type::text),
             concat_ws(' · ', m.type::text, to_char(m.communication_date at time zone 'UTC', 'YYYY-MM-DD'),
                       trim(ct.first_name || ' ' || ct.last_name), op.name),
             h.score
        from communication_hits h join communications m on m.id = h.id
        left join contacts ct on ct.id = m.contact_id
        left join opportunities op on op.id = m.opportunity_id`;
    const rows = await this.em.getConnection().execute<HitRow[]>(sql, p.values);
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

  /**
   * Top live rows of `table` whose `expression` (trigram-indexed, used verbatim) contains `q` or resembles
   * it word by word (`<%`, so typos are forgiven), scored by the mean of word and whole-text similarity: an
   * exact name beats a longer one that merely contains it. Two-letter queries match word starts only: a
   * two-letter `%ab%` pattern has no trigram to look up and would read the whole index.
   */
  private named(table: string, expression: string, q: string, limit: number, p: Params): string {
    return `select id, (word_similarity(${p.bind(q)}, label) + similarity(${p.bind(q)}, label)) / 2 as score
      from (select t.id, ${expression} as label from ${table} t
             where t.deleted_at is null
               and (${q.length >= 3 ? `${expression} ilike ${p.bind(`%${escapeLike(q)}%`)} or ` : ''}${p.bind(q)} <% ${expression})
             limit ${NAME_CANDIDATES}) cand
      order by score desc limit ${p.bind(limit)}`;
  }
}
