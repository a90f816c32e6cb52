import { randomBytes } from 'node:crypto';

import { expect } from '@jest/globals';

import { Contact } from '../../src/modules/contacts/contact.entity.js';
import type { SignedInUser } from './auth.js';
import type { TestApp } from './test-app.js';

/** Shared by the funds, opportunities and LP profile tests: records they need around them. */
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

export const suffix = (): string => randomBytes(3).toString('hex');

/** A contact written with the ORM (the contacts API is tested on its own). */
export async function createContact(
  t: TestApp,
  fields: { firstName: string; lastName?: string; email?: string; organization?: string; deletedAt?: Date },
): Promise<Contact> {
  const em = t.orm.em.fork();
  const contact = em.create(Contact, fields);
  await em.flush();
  return contact;
}

export async function createOrganization(
  t: TestApp,
  as: SignedInUser,
  name: string,
): Promise<{ id: string }> {
  const res = await t.http.post('/api/organizations').set(as.auth).send({ name });
  expect(res.status).toBe(201);
  return res.body.data as { id: string };
}

export async function createFund(
  t: TestApp,
  as: SignedInUser,
  body: Record<string, unknown>,
): Promise<{ id: string; name: string }> {
  const res = await t.http.post('/api/funds').set(as.auth).send(body);
  expect(res.status).toBe(201);
  return res.body.data as { id: string; name: string };
}

export interface Opp {
  id: string;
  name: string;
  stage: string;
  probability: number;
  version: number;
  [key: string]: unknown;
}

export async function createOpportunity(
  t: TestApp,
  as: SignedInUser,
  body: Record<string, unknown>,
): Promise<Opp> {
  const res = await t.http.post('/api/opportunities').set(as.auth).send(body);
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
  return res.body.data as Opp;
}

/** GET /api/opportunities/:id's data (expects 200). */
export async function opportunityDetail(
  t: TestApp,
  as: SignedInUser,
  id: string,
): Promise<ReturnType<typeof JSON.parse>> {
  const res = await t.http.get(`/api/opportunities/${id}`).set(as.auth);
  expect(res.status).toBe(200);
  return res.body.data;
}

/** Sends each body and expects a 400 whose details and message name `field`. */
export async function expectBadInput(
  send: (
    body: Record<string, unknown>,
  ) => Promise<{ status: number; body: { details?: { field: string }[]; message?: string } }>,
  cases: [Record<string, unknown>, string][],
): Promise<void> {
  for (const [body, field] of cases) {
    const res = await send(body);
    expect({ body, status: res.status }).toEqual({ body, status: 400 });
    expect({ body, fields: (res.body.details ?? []).map((d) => d.field) }).toEqual({
      body,
      fields: expect.arrayContaining([field]),
    });
    expect(res.body.message).toContain(field);
  }
}
