import { describe, expect, it } from '@jest/globals';

import { numbered } from './prepared.js';

describe('numbered', () => {
  it('numbers the placeholders in order, casts kept', () => {
    expect(numbered('select * from t where a = ? and b >= ?::date limit ?')).toBe(
      'select * from t where a = $1 and b >= $2::date limit $3',
    );
  });

  it('leaves question marks in strings, quoted identifiers and comments alone', () => {
    expect(numbered(`select 'why?', 'it''s ?', "odd?" from t -- who?\nwhere x = ?`)).toBe(
      `select 'why?', 'it''s ?', "odd?" from t -- who?\nwhere x = $1`,
    );
  });

  it('refuses what it cannot mean: knex identifier bindings and escaped marks', () => {
    expect(() => numbered('select ?? from t')).toThrow();
    expect(() => numbered('select data \\? ? from t')).toThrow();
  });
});
