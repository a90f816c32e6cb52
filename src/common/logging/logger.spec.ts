import { describe, expect, it } from '@jest/globals';

import { requestLogSerializers } from './logger.js';

describe('requestLogSerializers', () => {
  it('logs the id, method, path and client of a request, and never its headers', () => {
    const req = {
      id: 'r1',
      method: 'GET',
      url: '/api/contacts?search=x',
      remoteAddress: '10.0.0.1',
      headers: { authorization: 'Bearer secret', cookie: 'vcrm.sid=secret' },
    };
    const logged = requestLogSerializers.req(req);
    expect(logged).toEqual({
      id: 'r1',
      method: 'GET',
      url: '/api/contacts?search=x',
      remoteAddress: '10.0.0.1',
    });
    expect(JSON.stringify(logged)).not.toContain('secret');
  });

  it('logs the status of an answer, not its headers (set-cookie among them)', () => {
    expect(
      requestLogSerializers.res({ statusCode: 201, headers: { 'set-cookie': 'secret' } } as never),
    ).toEqual({
      statusCode: 201,
    });
  });
});
