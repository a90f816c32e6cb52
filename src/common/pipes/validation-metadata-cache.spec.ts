import 'reflect-metadata';

import { beforeAll, describe, expect, it } from '@jest/globals';

import { getMetadataStorage, IsInt, IsString, MaxLength, validateSync } from 'class-validator';

import { cacheValidationMetadata } from './validation-metadata-cache.js';

class Named {
  @IsString()
  name!: unknown;
}

class Counted extends Named {
  @IsInt()
  count!: unknown;

  @MaxLength(3, { groups: ['short'] })
  code!: unknown;
}

const failing = (value: object, groups?: string[]) =>
  validateSync(value, { groups }).map((e) => Object.keys(e.constraints ?? {}).join(','));

const counted = (fields: Partial<Counted>) => Object.assign(new Counted(), fields);

/** Objects and groups whose validation depends on inherited and grouped rules. */
const CASES: [object, string[] | undefined][] = [
  [counted({ name: 'x', count: 1, code: 'long' }), undefined],
  [counted({ name: 1, count: 'x', code: 'ok' }), undefined],
  [counted({ name: 'x', count: 'x', code: 'long' }), ['short']],
  [Object.assign(new Named(), { name: 1 }), undefined],
];

/** Lookups of Counted: no groups, a group, `always`, strict groups. */
const LOOKUPS: [boolean, boolean, string[] | undefined][] = [
  [false, false, undefined],
  [false, false, ['short']],
  [true, false, undefined],
  [false, true, undefined],
];

describe('cacheValidationMetadata', () => {
  const storage = getMetadataStorage();
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const uncached = {
    errors: CASES.map(([value, groups]) => failing(value, groups)),
    lookups: LOOKUPS.map(([always, strict, groups]) => lookup(Counted, '', always, strict, groups)),
  };

  beforeAll(() => cacheValidationMetadata());

  it('validates as class-validator does without it: inherited rules, groups, always, strict groups', () => {
    expect(CASES.map(([value, groups]) => failing(value, groups))).toEqual(uncached.errors);
    // Grouped rules apply without groups; with a group, only its rules.
    expect(uncached.errors).toEqual([['maxLength'], ['isInt', 'isString'], ['maxLength'], ['isString']]);
    const cached = LOOKUPS.map(([always, strict, groups]) =>
      storage.getTargetValidationMetadatas(Counted, '', always, strict, groups),
    );
    expect(cached).toEqual(uncached.lookups);
  });

  it('looks a class up once per set of arguments', () => {
    const first = storage.getTargetValidationMetadatas(Counted, '', false, false);
    expect(storage.getTargetValidationMetadatas(Counted, '', false, false)).toBe(first);
    expect(storage.getTargetValidationMetadatas(Counted, '', false, false, ['short'])).not.toBe(first);
  });

  it('installs once', () => {
    const installed = storage.getTargetValidationMetadatas;
    cacheValidationMetadata();
    expect(storage.getTargetValidationMetadatas).toBe(installed);
  });
});
