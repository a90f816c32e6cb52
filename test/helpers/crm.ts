import { Role } from '../../src/common/auth/role.js';
import { type SignedInUser, signedIn } from './auth.js';
import { defineTextFields } from './custom-fields.js';
import type { TestApp } from './test-app.js';

/** A well-formed id that no record has. */
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

export interface ContactBody {
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  tags: { id: string; name: string; color: string }[];
  owner: { id: string; username: string } | null;
  version: number;
  [key: string]: unknown;
}

/** Creates CRM records through the API (as a member, tags as a manager) and answers their `data`. */
export class CrmApi {
  constructor(
    private readonly t: TestApp,
    private readonly member: SignedInUser,
    private readonly manager: SignedInUser,
  ) {}

  async contact(body: Record<string, unknown>): Promise<ContactBody> {
    return (await this.t.http.post('/api/contacts').set(this.member.auth).send(body).expect(201)).body.data;
  }

  async organization(name: string): Promise<{ id: string; name: string }> {
    return (await this.t.http.post('/api/organizations').set(this.member.auth).send({ name }).expect(201))
      .body.data;
  }

  async tag(name: string): Promise<{ id: string; name: string; color: string }> {
    return (await this.t.http.post('/api/tags').set(this.manager.auth).send({ name }).expect(201)).body.data;
  }
}

/** The contacts suites' start: a member and a manager signed in, their CrmApi, and the text fields region and tier. */
export async function contactsFixture(
  t: TestApp,
): Promise<{ member: SignedInUser; manager: SignedInUser; api: CrmApi }> {
  const member = await signedIn(t, Role.Member);
  const manager = await signedIn(t, Role.Manager);
  const api = new CrmApi(t, member, manager);
  await defineTextFields(t, 'contact', ['region', 'tier']);
  return { member, manager, api };
}

/** GET /api/contacts?`query` as `user`: a page of contacts and the total. */
export async function listContacts(
  t: TestApp,
  query: string,
  user: SignedInUser,
): Promise<{ data: ContactBody[]; total: number }> {
  return (await t.http.get(`/api/contacts?${query}`).set(user.auth).expect(200)).body;
}
