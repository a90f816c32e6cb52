import { Role } from '../../common/auth/role.js';
import { User } from '../../modules/users/user.entity.js';
import { pick, random, slug } from './sequence.js';
import { defineFactory } from './types.js';
import { FIRST_NAMES, LAST_NAMES } from './words.js';

/**
 * Not an argon2 hash, so no password ever matches it: a factory user cannot sign in until given a real
 * `passwordHash` (hashing is slow on purpose, so callers hash once and pass it in).
 */
export const UNUSABLE_PASSWORD_HASH = '!';

export const userFactory = defineFactory<User>((em, data, seq) => {
  const rng = random(seq);
  const first = pick(rng, FIRST_NAMES);
  const last = pick(rng, LAST_NAMES);
  const username = data.username ?? `${slug(first)}.${slug(last)}${seq}`;
  return em.create(User, {
    username,
    email: `${username}@fund.example`,
    fullName: `${first} ${last}`,
    role: Role.Member,
    passwordHash: UNUSABLE_PASSWORD_HASH,
    ...data,
  });
});
