import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { crmClient, logCall } from '../examples/typed-client.js';
import { Role } from '../src/common/auth/role.js';
import { previewOpenApiDocument } from '../src/openapi-docs.js';
import { type SignedInUser, signedIn } from './helpers/auth.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

describe('examples/typed-client.ts against a running app', () => {
  let t: TestApp;
  let member: SignedInUser;
  let baseUrl: string;

  beforeAll(async () => {
    t = await createTestApp();
    member = await signedIn(t, Role.Member);
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('lists contacts and logs a call with the first match', async () => {
    const ada = await t.http
      .post('/api/contacts')
      .set(member.auth)
      .send({ firstName: 'Ada', lastName: 'Lovelace' })
      .expect(201);
    const call = await logCall(crmClient(baseUrl, member.token), 'lovelace', 'Catch-up call');
    expect(call).toMatchObject({ type: 'call', subject: 'Catch-up call', durationMinutes: 15 });
    expect(call.contact).toEqual({ id: ada.body.data.id, name: 'Ada Lovelace' });
    await t.http.get(`/api/communications/${call.id}`).set(member.auth).expect(200);
  });

  it('is typed from the very document the app serves, built without a database', async () => {
    const served = await t.http.get('/api/docs-json').expect(200);
    expect(await previewOpenApiDocument(t.config)).toEqual(served.body);
  });

  it('answers the API error, typed, when the token is refused', async () => {
    await expect(logCall(crmClient(baseUrl, 'not-a-token'), 'lovelace', 'x')).rejects.toThrow(
      'listing contacts: UNAUTHORIZED',
    );
  });
});
