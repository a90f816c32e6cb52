import type { SignedInUser } from './auth.js';
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
