import { describe, expect, it } from '@jest/globals';
import type { FactoryProvider } from '@nestjs/common';

import { constraintMessage, constraintMessages, invalidField } from './constraint-messages.js';

/** What Nest does with the provider when the module that lists it starts. */
const start = (provider: unknown): unknown => (provider as FactoryProvider).useFactory();

describe('constraintMessages', () => {
  it('registers nothing until the module that lists it starts', () => {
    const provider = constraintMessages('spec', {
      spec_name_unique: { code: 'SPEC_EXISTS', field: 'name', message: 'taken' },
    });
    expect(constraintMessage('spec_name_unique')).toBeUndefined();
    start(provider);
    expect(constraintMessage('spec_name_unique')).toEqual({
      status: 409,
      code: 'SPEC_EXISTS',
      field: 'name',
      message: 'taken',
    });
  });

  it('keeps a 400 entry as declared, and accepts the same declaration again (a second app)', () => {
    const entries = { spec_amount_check: invalidField('amount', 'must not be negative') };
    start(constraintMessages('spec', entries));
    start(constraintMessages('spec', entries));
    expect(constraintMessage('spec_amount_check')?.status).toBe(400);
  });

  it('refuses a name declared twice with different answers', () => {
    start(constraintMessages('one', { spec_twice: { code: 'A', message: 'a' } }));
    expect(() => start(constraintMessages('two', { spec_twice: { code: 'B', message: 'b' } }))).toThrow(
      'Constraint spec_twice is declared twice',
    );
  });

  it('answers nothing for an unknown or missing name', () => {
    expect(constraintMessage('spec_unknown')).toBeUndefined();
    expect(constraintMessage(undefined)).toBeUndefined();
  });
});
