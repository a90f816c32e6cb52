import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { EntityManager, Ref } from '@mikro-orm/core';

import { ValidationError } from '../errors/index.js';
import { NOT_DELETED, referenced, referencedSql, relink } from './references.js';

class Thing {
  id!: string;
}

const ID = '0b6f1b8e-4a59-4c1a-9d0e-6c4a7c2f3a10';
const OTHER = '7d2e9c1a-1f3b-4e5d-8a6b-2c9d0e1f2a3b';

/** A reference as an entity holds it: only the id matters to relink. */
const link = (id: string) => ({ id }) as unknown as Ref<Thing>;

describe('relink', () => {
  const load = jest.fn((id: string) => Promise.resolve({ id }));
  beforeEach(() => {
    load.mockClear();
  });

  it('keeps the link on PATCH and clears it on PUT when the id is left out', async () => {
    const current = link(ID);
    expect(await relink(current, undefined, false, load)).toBe(current);
    expect(await relink(undefined, undefined, false, load)).toBeNull();
    expect(await relink(current, undefined, true, load)).toBeNull();
    expect(load).not.toHaveBeenCalled();
  });

  it('clears the link when the id is null, on PUT and PATCH alike', async () => {
    expect(await relink(link(ID), null, false, load)).toBeNull();
    expect(await relink(link(ID), null, true, load)).toBeNull();
    expect(load).not.toHaveBeenCalled();
  });

  it('keeps an unchanged link without checking it (its record may be deleted since), ignoring case', async () => {
    const failing = jest.fn((_id: string) => Promise.reject(new Error('deleted')));
    const current = link(ID);
    expect(await relink(current, ID.toUpperCase(), true, failing)).toBe(current);
    expect(failing).not.toHaveBeenCalled();
  });

  it('loads a new id, lower-cased, and passes on its refusal', async () => {
    const linked = await relink(link(ID), OTHER.toUpperCase(), false, load);
    expect(load).toHaveBeenCalledTimes(1);
    expect(load).toHaveBeenCalledWith(OTHER);
    expect(linked).not.toBeNull();
    const refusal = ValidationError.field('thingId', `no live thing with id ${OTHER}`);
    await expect(relink(null, OTHER, false, () => Promise.reject(refusal))).rejects.toBe(refusal);
  });
});

describe('referenced', () => {
  const finding = (found: Thing | null) => {
    const findOne = jest.fn((_entity: unknown, _where: unknown) => Promise.resolve(found));
    return { em: { findOne } as unknown as EntityManager, findOne };
  };

  it('answers the record found by id within the live filter', async () => {
    const { em, findOne } = finding({ id: ID });
    expect(await referenced(em, Thing, ID, 'thingId', 'live thing', NOT_DELETED)).toEqual({ id: ID });
    expect(findOne).toHaveBeenCalledWith(Thing, { deletedAt: null, id: ID });
  });

  it('is a 400 naming the field and saying what was expected when none is found', async () => {
    const { em } = finding(null);
    const refused = referenced(em, Thing, ID, 'thingId', 'live thing', NOT_DELETED);
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({
      message: `thingId: no live thing with id ${ID}`,
      details: [{ field: 'thingId', message: `no live thing with id ${ID}` }],
    });
  });
});

class Named {
  id!: string;
  name!: string;
}

describe('referencedSql', () => {
  const columns: Record<string, string> = {
    id: 'id',
    deletedAt: 'deleted_at',
    isActive: 'is_active',
    name: 'full_name',
  };
  const em = {
    getMetadata: () => ({
      get: () => ({
        className: 'Thing',
        tableName: 'things',
        properties: Object.fromEntries(Object.entries(columns).map(([p, c]) => [p, { fieldNames: [c] }])),
      }),
    }),
  } as unknown as EntityManager;

  it('reads the chosen properties of the live record by id, as a JSON object, with bound values', () => {
    const read = referencedSql(em, Named, ID, 'thingId', 'live thing', NOT_DELETED, ['id', 'name']);
    expect(read.sql).toBe(
      `(select json_build_object('id', t."id", 'name', t."full_name") from "things" t` +
        ` where t."deleted_at" is null and t."id" = ?)`,
    );
    expect(read.params).toEqual([ID]);
    const bound = referencedSql(em, Thing, ID, 'userId', 'active user', { isActive: true }, ['id']);
    expect(bound.sql).toContain(`where t."is_active" = ? and t."id" = ?`);
    expect(bound.params).toEqual([true, ID]);
  });

  it('answers the same 400 as referenced() when the record is not there', () => {
    const read = referencedSql(em, Thing, ID, 'thingId', 'live thing', NOT_DELETED, ['id']);
    expect(read.missing()).toMatchObject({
      message: `thingId: no live thing with id ${ID}`,
      details: [{ field: 'thingId', message: `no live thing with id ${ID}` }],
    });
  });

  it('refuses a property without a column', () => {
    expect(() => referencedSql(em, Thing, ID, 'thingId', 'thing', { missing: null }, ['id'])).toThrow(
      'Thing has no column for missing',
    );
  });
});
