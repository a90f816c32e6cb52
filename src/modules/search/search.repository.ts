import { Injectable } from '@nestjs/common';
import { EntityManager, type Knex } from '@mikro-orm/postgresql';

import { escapeLike, runQuery } from '../../common/utils/sql.js';
import { COMMUNICATION_SEARCH_VECTOR } from '../communications/communication.entity.js';
import { liveLinksSql } from '../communications/communications.repository.js';
import { CONTACT_SEARCH_TEXT } from '../contacts/contact.entity.js';
import type { SearchHitType } from './dto/search.dto.js';

/**
 * How many index matches per type are ranked. Ranking computes a similarity (or re-derives the text vector)
 * per row, so a term matching thousands of rows is ranked on a bounded sample: that keeps every request
 * fast on 100k contacts and 1M communications. Rare terms, the usual case, are ranked exactly.
 */
const NAME_CANDIDATES = 200;
const COMMUNICATION_CANDIDATES = 100;

/** A contact found through its organization's name ranks a little below the organization itself. */
const VIA_ORGANIZATION = 0.9;

/** One hit as the search query returns it: the best `limit` of each type, unsorted across types. */
export interface HitRow {
  type: SearchHitType;
  id: string;
  title: string;
  subtitle: string | null;
  score: number | string;
}

/** The search SQL: live records whose names or text match, ranked per type (see SearchService for the rules). */
@Injectable()
export class SearchRepository {
  constructor(private readonly em: EntityManager) {}

  /** The best `limit` hits of each type for `q`, with their display title, subtitle and score. */
  async hits(q: string, limit: number): Promise<HitRow[]> {
    const knex = this.em.getKnex();
    const query = knex.raw(
      `with org_hits as (?),
      contact_hits as (
        select id, max(score) as score from (
          (?)
          union all
          (select c.id, oh.score * ${VIA_ORGANIZATION} as score
             from org_hits oh join contacts c on c.organization_id = oh.id and c.deleted_at is null
            order by score desc limit ?)
        ) x group by id order by score desc limit ?
      ),
      opportunity_hits as (?),
      communication_hits as (?)
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
        left join opportunities op on op.id = m.opportunity_id`,
      [
        named(knex, 'organizations', '"name"', q, limit),
        named(knex, 'contacts', CONTACT_SEARCH_TEXT, q, limit),
        limit,
        limit,
        named(knex, 'opportunities', '"name"', q, limit),
        communicationHits(knex, q, limit),
      ],
    );
    return runQuery<HitRow>(this.em, query);
  }
}

/**
 * Top live rows of `table` whose `expression` (trigram-indexed, used verbatim) contains `q` or resembles
 * it word by word (`<%`, so typos are forgiven), scored by the mean of word and whole-text similarity: an
 * exact name beats a longer one that merely contains it. Two-letter queries match word starts only: a
 * two-letter `%ab%` pattern has no trigram to look up and would read the whole index.
 */
function named(knex: Knex, table: string, expression: string, q: string, limit: number): Knex.Raw {
  const matches =
    q.length >= 3
      ? knex.raw(`${expression} ilike ? or ? <% ${expression}`, [`%${escapeLike(q)}%`, q])
      : knex.raw(`? <% ${expression}`, [q]);
  return knex.raw(
    `select id, (word_similarity(?, label) + similarity(?, label)) / 2 as score
      from (select t.id, ${expression} as label from ${table} t
             where t.deleted_at is null
               and (?)
             limit ${NAME_CANDIDATES}) cand
      order by score desc limit ?`,
    [q, q, matches, limit],
  );
}

/**
 * Top communications whose subject or body matches `q` as a web search (the GIN-indexed text vector), ranked
 * by ts_rank; hidden with a deleted contact or opportunity (liveLinksSql).
 */
function communicationHits(knex: Knex, q: string, limit: number): Knex.Raw {
  return knex.raw(
    `select cand.id,
               ts_rank(${COMMUNICATION_SEARCH_VECTOR}, websearch_to_tsquery('english', ?), 32) as score
          from (select m.id, m.subject, m.body from communications m
                 where ${COMMUNICATION_SEARCH_VECTOR} @@ websearch_to_tsquery('english', ?)
                   and ${liveLinksSql('m')}
                 limit ${COMMUNICATION_CANDIDATES}) cand
         order by score desc limit ?`,
    [q, q, limit],
  );
}
