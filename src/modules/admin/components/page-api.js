// Shared by the back office's own pages: their data and writes go through AdminJS's page API
// (/admin/api/pages/<name>, the signed-in session, same-origin POSTs), never through /api with a token.
/* global FormData -- the browser's */
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

/**
 * A write that carries a file: POST /admin/api/pages/<name> as multipart (`action`, the fields — objects as
 * JSON, the rest as text — and `file`), read on the server like the API's upload.
 */
export function uploadPage(pageName, action, file, fields = {}) {
  const form = new FormData();
  form.append('action', action);
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined)
      form.append(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  form.append('file', file, file.name);
  return api.getPage({ pageName, method: 'post', data: form }).then((response) => response.data);
}

/** The error contract's status, code, message and details (`{ statusCode, code, message, details }`), for people. */
export function failure(err) {
  const body = err?.response?.data ?? {};
  return {
    status: err?.response?.status ?? 0,
    code: body.code ?? 'NETWORK',
    message: body.message ?? 'The server could not be reached. Check the connection and try again.',
    details: body.details,
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
