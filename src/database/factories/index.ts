/** Factories for every entity, shared by the tests and the demo seed. Each persists (not flushes) what it builds. */
export { communicationFactory } from './communication.factory.js';
export { contactFactory } from './contact.factory.js';
export { fundFactory } from './fund.factory.js';
export { lpProfileFactory } from './lp-profile.factory.js';
export { opportunityFactory, stageChangeFactory } from './opportunity.factory.js';
export { organizationFactory } from './organization.factory.js';
export { type FactoryOptions, nextSeq, resetSequence } from './sequence.js';
export { tagFactory } from './tag.factory.js';
export { taskFactory } from './task.factory.js';
export type { Overrides } from './types.js';
export { UNUSABLE_PASSWORD_HASH, userFactory } from './user.factory.js';
