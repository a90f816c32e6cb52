import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { routePolicies } from './helpers/routes.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const ANY = 'member,manager,admin';
const MANAGER = 'manager,admin';
const ADMIN = 'admin';

/**
 * Who may call each route. A new route, or a changed permission, fails this test until this table is
 * updated — so every permission change shows up in review. The policy is the role table of SPEC.md.
 */
const EXPECTED: Record<string, string> = {
  'DELETE /api/auth/tokens/:id': ANY,
  'DELETE /api/custom-fields/:id': MANAGER,
  'DELETE /api/communications/:id': MANAGER,
  'DELETE /api/tasks/:id': MANAGER,
  'GET /api/communications': ANY,
  'GET /api/communications/:id': ANY,
  'GET /api/contacts/:id/communications': ANY,
  'GET /api/search': ANY,
  'GET /api/tasks': ANY,
  'GET /api/tasks/:id': ANY,
  'PATCH /api/communications/:id': ANY,
  'PATCH /api/tasks/:id': ANY,
  'POST /api/communications': ANY,
  'POST /api/tasks': ANY,
  'PUT /api/communications/:id': ANY,
  'PUT /api/tasks/:id': ANY,
  'DELETE /api/contacts/:id': MANAGER,
  'GET /api/contacts': ANY,
  'GET /api/contacts/:id': ANY,
  'GET /api/contacts/duplicates': ANY,
  'PATCH /api/contacts/:id': ANY,
  'POST /api/contacts': ANY,
  'POST /api/contacts/:id/merge': MANAGER,
  'POST /api/contacts/:id/restore': MANAGER,
  'POST /api/contacts/bulk': MANAGER,
  'PUT /api/contacts/:id': ANY,
  'DELETE /api/organizations/:id': MANAGER,
  'DELETE /api/tags/:id': MANAGER,
  'GET /api/organizations': ANY,
  'GET /api/organizations/:id': ANY,
  'GET /api/tags': ANY,
  'GET /api/tags/:id': ANY,
  'PATCH /api/custom-fields/:id': MANAGER,
  'PATCH /api/organizations/:id': ANY,
  'PATCH /api/tags/:id': MANAGER,
  'POST /api/custom-fields': MANAGER,
  'POST /api/organizations': ANY,
  'POST /api/organizations/:id/restore': MANAGER,
  'POST /api/tags': MANAGER,
  'PUT /api/organizations/:id': ANY,
  'GET /api/:resource/:id/history': ANY,
  'GET /api/audit-log': ADMIN,
  'GET /api/reports/activity': ANY,
  'GET /api/reports/dashboard': ANY,
  'GET /api/reports/fund-progress': ANY,
  'GET /api/reports/lp-breakdown': ANY,
  'GET /api/reports/pipeline': ANY,
  'GET /api/reports/pipeline-analytics': ANY,
  'DELETE /api/funds/:id': MANAGER,
  'DELETE /api/lp-profiles/:id': MANAGER,
  'DELETE /api/opportunities/:id': MANAGER,
  'GET /api/funds': ANY,
  'POST /api/import/suggest': MANAGER,
  'POST /api/import/csv': MANAGER,
  'POST /api/import/upload': MANAGER,
  'GET /api/import/batches': MANAGER,
  'GET /api/import/batches/:id': MANAGER,
  'DELETE /api/import/batches/:id': MANAGER,
  'GET /api/export/contacts': MANAGER,
  'GET /api/export/organizations': MANAGER,
  'GET /api/export/communications': MANAGER,
  'GET /api/export/opportunities': MANAGER,
  'GET /api/export/lp-profiles': MANAGER,
  'GET /api/export/tasks': MANAGER,
  'GET /api/export/:entity': MANAGER,
  'GET /api/funds/:id': ANY,
  'GET /api/lp-profiles': ANY,
  'GET /api/lp-profiles/:id': ANY,
  'GET /api/opportunities': ANY,
  'GET /api/opportunities/:id': ANY,
  'PATCH /api/funds/:id': MANAGER,
  'PATCH /api/lp-profiles/:id': ANY,
  'PATCH /api/opportunities/:id': ANY,
  'PATCH /api/opportunities/:id/stage': ANY,
  'POST /api/funds': MANAGER,
  'POST /api/lp-profiles': ANY,
  'POST /api/opportunities': ANY,
  'POST /api/opportunities/:id/restore': MANAGER,
  'PUT /api/funds/:id': MANAGER,
  'PUT /api/lp-profiles/:id': ANY,
  'PUT /api/opportunities/:id': ANY,
  'GET /api/auth/me': ANY,
  'PATCH /api/auth/me': ANY,
  'GET /api/backups': ADMIN,
  'POST /api/backups': ADMIN,
  'GET /api/backups/:name/download': ADMIN,
  'GET /api/jobs/runs': ADMIN,
  'GET /api/auth/tokens': ANY,
  'GET /api/custom-fields': ANY,
  'GET /api/custom-fields/:id': ANY,
  'GET /api/health': 'public',
  'GET /api/users': ADMIN,
  'GET /api/users/:id': ADMIN,
  'PATCH /api/users/:id': ADMIN,
  'POST /api/auth/2fa/disable': ANY,
  'POST /api/auth/2fa/enable': ANY,
  'POST /api/auth/2fa/setup': ANY,
  'POST /api/auth/2fa/verify': 'public',
  'POST /api/auth/change-password': ANY,
  'POST /api/auth/login': 'public',
  'POST /api/auth/tokens': ANY,
  'POST /api/users': ADMIN,
};

describe('route permissions', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('every route declares who may call it, exactly as reviewed', () => {
    const actual = routePolicies(t.app);
    expect(Object.entries(actual).filter(([, policy]) => policy === 'NO POLICY')).toEqual([]);
    expect(actual).toEqual(EXPECTED);
  });
});
