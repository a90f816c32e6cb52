import { describe, expect, it } from '@jest/globals';

import { VerifiedJwts } from './verified-jwts.js';

const NOW = 1_800_000_000_000;

describe('VerifiedJwts', () => {
  it('verifies a token once, then answers its payload until it expires', () => {
    const jwts = new VerifiedJwts<{ sub: string; exp?: number }>();
    let verified = 0;
    const verify = (token: string) => {
      verified++;
      return { sub: token, exp: NOW / 1000 + 60 };
    };
    expect(jwts.payload('a', verify, NOW)).toEqual({ sub: 'a', exp: NOW / 1000 + 60 });
    expect(jwts.payload('a', verify, NOW + 59_999)).toEqual({ sub: 'a', exp: NOW / 1000 + 60 });
    expect(verified).toBe(1);
    expect(jwts.payload('a', verify, NOW + 60_000)).toBeUndefined();
  });

  it('answers nothing for a token that fails verification, and tries it again next time', () => {
    const jwts = new VerifiedJwts<{ exp?: number }>();
    let calls = 0;
    const refuse = () => {
      calls++;
      throw new Error('invalid signature');
    };
    expect(jwts.payload('forged', refuse, NOW)).toBeUndefined();
    expect(jwts.payload('forged', refuse, NOW)).toBeUndefined();
    expect(calls).toBe(2);
  });

  it('keeps at most `max` tokens, forgetting the oldest first', () => {
    const jwts = new VerifiedJwts<{ exp?: number }>(2);
    let calls = 0;
    const verify = () => {
      calls++;
      return { exp: NOW / 1000 + 60 };
    };
    for (const token of ['a', 'b', 'c', 'a']) jwts.payload(token, verify, NOW);
    expect(calls).toBe(4);
    jwts.payload('c', verify, NOW);
    expect(calls).toBe(4);
  });
});
