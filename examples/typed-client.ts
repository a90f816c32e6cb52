/**
 * A typed client for the venture-crm API: the types come from the app's own OpenAPI document
 * (`npm run docs:openapi` writes examples/openapi.json and generates examples/api.d.ts from it with
 * openapi-typescript); openapi-fetch turns them into checked calls. A path, parameter or body field the
 * API does not have is a compile error, and every answer is typed as the document declares it.
 *
 * Run against a server (after `npm run docs:openapi`, e.g. with Node ≥ 22.6 and --experimental-strip-types):
 *   VCRM_URL=http://localhost:3000 VCRM_TOKEN=<API token from POST /api/auth/tokens> node examples/typed-client.ts ada
 */
import createClient from 'openapi-fetch';

import type { components, paths } from './api.js';

export type CrmClient = ReturnType<typeof createClient<paths>>;
type Communication = components['schemas']['CommunicationResponseDto'];

export function crmClient(baseUrl: string, token: string): CrmClient {
  return createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });
}

/** Lists the contacts matching `search` and logs a call with the first one; answers the communication. */
export async function logCall(client: CrmClient, search: string, summary: string): Promise<Communication> {
  const contacts = await client.GET('/api/contacts', {
    params: { query: { search, sort: 'lastName', order: 'asc', limit: 10 } },
  });
  if (contacts.error) throw new Error(`listing contacts: ${contacts.error.code} ${contacts.error.message}`);
  const contact = contacts.data.data[0];
  if (!contact) throw new Error(`no contact matches "${search}" (of ${contacts.data.total})`);

  const created = await client.POST('/api/communications', {
    body: { type: 'call', contactId: contact.id, subject: summary, durationMinutes: 15 },
  });
  if (created.error) throw new Error(`logging the call: ${created.error.code} ${created.error.message}`);
  return created.data.data;
}

const entry = process.argv[1] ?? '';
if (entry.endsWith('typed-client.ts') || entry.endsWith('typed-client.js')) {
  const client = crmClient(process.env.VCRM_URL ?? 'http://localhost:3000', process.env.VCRM_TOKEN ?? '');
  const call = await logCall(client, process.argv[2] ?? '', 'Catch-up call');
  process.stdout.write(`logged ${call.type} ${call.id} with ${call.contact?.name ?? '—'}\n`);
}
