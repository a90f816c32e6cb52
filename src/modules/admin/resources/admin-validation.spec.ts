import { describe, expect, it } from '@jest/globals';
import { type EntityProperty, ReferenceKind } from '@mikro-orm/core';

import { apiBody, type FormColumns } from './admin-validation.js';

/** Just what apiBody reads of MikroORM's metadata for each column. */
const column = (fields: Partial<EntityProperty>): EntityProperty =>
  ({ kind: ReferenceKind.SCALAR, runtimeType: 'string', nullable: true, ...fields }) as EntityProperty;

const COLUMNS: Record<string, EntityProperty> = {
  name: column({ nullable: false }),
  notes: column({}),
  expectedAmount: column({ runtimeType: 'number', columnTypes: ['numeric(15,2)'] }),
  accredited: column({ runtimeType: 'boolean', nullable: false, default: false }),
  expectedCloseDate: column({ columnTypes: ['date'] }),
  communicationDate: column({ columnTypes: ['timestamptz'], nullable: false }),
  currency: column({ nullable: false, default: 'USD' }),
  organization: column({ kind: ReferenceKind.MANY_TO_ONE }),
  tags: column({ kind: ReferenceKind.MANY_TO_MANY }),
};
const form: FormColumns = { column: (path) => COLUMNS[path] };

describe('apiBody (a back-office form as the API’s JSON body)', () => {
  it('types numbers (group separators allowed), booleans and day-only dates', () => {
    expect(
      apiBody(form, {
        expectedAmount: '5,000,000.50',
        accredited: 'true',
        expectedCloseDate: '2026-03-15T00:00:00.000Z',
      }),
    ).toEqual({ expectedAmount: 5_000_000.5, accredited: true, expectedCloseDate: '2026-03-15' });
    expect(apiBody(form, { accredited: 'false' })).toEqual({ accredited: false });
  });

  it('leaves what is not a number or boolean as text, for the DTO to refuse with the field’s name', () => {
    expect(apiBody(form, { expectedAmount: 'lots', accredited: 'maybe' })).toEqual({
      expectedAmount: 'lots',
      accredited: 'maybe',
    });
  });

  it('keeps a timestamp column’s time', () => {
    expect(apiBody(form, { communicationDate: '2026-03-15T09:30:00.000Z' })).toEqual({
      communicationDate: '2026-03-15T09:30:00.000Z',
    });
  });

  it('blank is null ("no value"), except where the column has a default: left out, so the default or the stored value holds', () => {
    expect(apiBody(form, { notes: '', expectedAmount: '', currency: '', accredited: '' })).toEqual({
      notes: null,
      expectedAmount: null,
    });
  });

  it('a relation is its id under `<name>Id` (blank: none); a collection is `<singular>Ids`, always an array', () => {
    expect(apiBody(form, { organization: 'org-1', tags: ['t1', 't2'] })).toEqual({
      organizationId: 'org-1',
      tagIds: ['t1', 't2'],
    });
    expect(apiBody(form, { organization: '', tags: 't1' })).toEqual({ organizationId: null, tagIds: ['t1'] });
    expect(apiBody(form, { tags: '' })).toEqual({ tagIds: [] });
  });

  it('turns CRLF line breaks into \\n, nested values included', () => {
    expect(apiBody(form, { notes: 'one\r\ntwo\rthree', customFields: { memo: 'a\r\nb' } })).toEqual({
      notes: 'one\ntwo\nthree',
      customFields: { memo: 'a\nb' },
    });
  });

  it('keeps fields that are not columns under their own names (a new user’s password, `force`)', () => {
    expect(apiBody(form, { password: 'secret', force: 'true', name: 'Fund II' })).toEqual({
      password: 'secret',
      force: 'true',
      name: 'Fund II',
    });
  });
});
