// Shared by the back office's own pages: their data and writes go through AdminJS's page API
// (/admin/api/pages/<name>, the signed-in session, same-origin POSTs), never through /api with a token.
import { ApiClient } from 'adminjs';

const api = new ApiClient();

/** A page's data: GET /admin/api/pages/<name>?params (empty values left out). */
export function readPage(pageName, params = {}) {
  const filled = Object.fromEntries(
    Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  );
  return api.getPage({ pageName, params: filled }).then((response) => response.data);
}

/** One of a page's writes: POST /admin/api/pages/<name> with `{ action, ...fields }` as JSON. */
export function writePage(pageName, action, fields) {
  return api
    .getPage({ pageName, method: 'post', data: { action, ...fields } })
    .then((response) => response.data);
}

/** The error contract's status and message (`{ statusCode, code, message }`), for people. */
export function failure(err) {
  const body = err?.response?.data ?? {};
  return {
    status: err?.response?.status ?? 0,
    code: body.code ?? 'NETWORK',
    message: body.message ?? 'The server could not be reached. Check the connection and try again.',
  };
}

export const STAGE_LABELS = {
  lead: 'Lead',
  outreach: 'Outreach',
  meeting: 'Meeting',
  due_diligence: 'Due diligence',
  committed: 'Committed',
  funded: 'Funded',
  lost: 'Lost',
};

const RESOURCES = {
  contact: 'Contact',
  organization: 'Organization',
  opportunity: 'Opportunity',
  communication: 'Communication',
};

/** A record's page in the back office: /admin/resources/<Resource>/records/<id>/show. */
export const recordPath = (type, id) =>
  `/admin/resources/${RESOURCES[type]}/records/${encodeURIComponent(id)}/show`;
