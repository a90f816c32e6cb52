import { describe, expect, it } from '@jest/globals';

import { pgEnv } from './pg-tools.js';

describe('pgEnv', () => {
  it('passes a TCP URL to libpq as host, port, database, user and password', () => {
    const env = pgEnv('postgresql://crm%40fund:p%40ss@db.internal:5433/venture_crm?sslmode=require');
    expect(env).toMatchObject({
      PGHOST: 'db.internal',
      PGPORT: '5433',
      PGDATABASE: 'venture_crm',
      PGUSER: 'crm@fund',
      PGPASSWORD: 'p@ss',
      PGSSLMODE: 'require',
    });
  });

  it("passes a Unix socket's directory (the URL's percent-encoded host) as libpq's host", () => {
    const env = pgEnv('postgresql://postgres:secret@%2Fvar%2Flib%2Fcrm%2Fsocket:5432/venture_crm');
    expect(env).toMatchObject({ PGHOST: '/var/lib/crm/socket', PGPORT: '5432', PGDATABASE: 'venture_crm' });
  });

  it('reads an IPv6 host without its brackets', () => {
    expect(pgEnv('postgresql://u@[::1]:5432/db').PGHOST).toBe('::1');
  });
});
