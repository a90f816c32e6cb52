import { Organization, OrganizationType } from '../../modules/organizations/organization.entity.js';
import { pick, random, slug } from './sequence.js';
import { defineFactory } from './types.js';
import { CITIES, ORGANIZATION_SUFFIXES, ORGANIZATION_WORDS } from './words.js';

const TYPE_BY_SUFFIX: Record<(typeof ORGANIZATION_SUFFIXES)[number], OrganizationType> = {
  Capital: OrganizationType.FundOfFunds,
  Partners: OrganizationType.WealthManager,
  'Family Office': OrganizationType.FamilyOffice,
  Endowment: OrganizationType.Endowment,
  Foundation: OrganizationType.Foundation,
  Holdings: OrganizationType.Corporate,
  Advisors: OrganizationType.WealthManager,
  Trust: OrganizationType.Bank,
};

export const organizationFactory = defineFactory<Organization>((em, data, seq) => {
  const rng = random(seq);
  const suffix = pick(rng, ORGANIZATION_SUFFIXES);
  const name = `${pick(rng, ORGANIZATION_WORDS)} ${suffix} ${seq}`;
  const [city, state, country] = pick(rng, CITIES);
  return em.create(Organization, {
    name,
    type: TYPE_BY_SUFFIX[suffix],
    website: `https://${slug(name)}.example`,
    city,
    state,
    country,
    ...data,
  });
});
