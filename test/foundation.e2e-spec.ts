import { Agent, get } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { signedIn } from './helpers/auth.js';
import { outsideContract } from './helpers/contract.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

describe('foundation', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ BODY_LIMIT: '10kb' });
  });

  afterAll(async () => {
    await t.close();
  });

  it('GET /api/health reports the database, migrations and backups', async () => {
    const res = await t.http.get('/api/health').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      database: 'up',
      migrations: { pending: 0 },
      // A database migrated minutes ago has two days to make its first backup.
      backup: { lastVerifiedAt: null, ageHours: null },
      version: t.config.version,
    });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps a caller-supplied request id', async () => {
    const res = await t.http.get('/api/health').set('X-Request-Id', 'trace-42').expect(200);
    expect(res.headers['x-request-id']).toBe('trace-42');
  });

  it('serves Swagger UI and the OpenAPI document with bearer auth declared', async () => {
    await t.http.get('/api/docs').expect(200).expect('content-type', /html/);
    const doc = await t.http.get('/api/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.body.paths['/api/health']).toBeDefined();
  });

  it('answers an unknown route with a JSON 404', async () => {
    const res = await t.http.get('/api/nothing-here').expect(404);
    expect(res.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      code: 'NOT_FOUND',
      message: 'No route GET /api/nothing-here',
    });
  });

  it('answers a malformed URL and an overlong id with the API error body', async () => {
    // Not a path of the document: Fastify refuses it before routing.
    const bad = await outsideContract(t.http.get('/api/contacts/%zz')).expect(400);
    expect(bad.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'BAD_REQUEST',
      message: "'/api/contacts/%zz' is not a valid url component",
    });
    expect(bad.headers['x-request-id']).toBeDefined();
    const long = await t.http
      .get(`/api/contacts/${'a'.repeat(300)}`)
      .set((await signedIn(t)).auth)
      .expect(400);
    expect(long.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'id', message: 'must be a UUID' }],
    });
  });

  it('answers malformed JSON with a 400', async () => {
    const res = await t.http
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"a":')
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'INVALID_JSON' });
    expect(res.body.message).toMatch(/not valid JSON/);
  });

  it('answers a body that is not JSON with a 415, before anything reads it', async () => {
    const res = await t.http
      .post('/api/auth/login')
      .set('Content-Type', 'text/plain')
      .send('username=admin')
      .expect(415);
    expect(res.body).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('takes an empty JSON body as no body, and a path with a trailing slash as without', async () => {
    const empty = await t.http.post('/api/auth/login').set('Content-Type', 'application/json').expect(400);
    expect(empty.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    // The document names paths without the slash; the same route answers with it.
    await outsideContract(t.http.get('/api/health/')).expect(200);
  });

  it('answers an oversize body with a 413', async () => {
    const res = await t.http
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ blob: 'x'.repeat(20_000) }))
      .expect(413);
    expect(res.body).toMatchObject({
      statusCode: 413,
      error: 'Payload Too Large',
      code: 'PAYLOAD_TOO_LARGE',
    });
  });

  it('sets security headers and no CORS headers by default', async () => {
    const res = await t.http.get('/api/health').set('Origin', 'https://evil.example').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('CORS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: 'https://crm.fund.example' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('allows only the configured origins', async () => {
    const ok = await t.http.get('/api/health').set('Origin', 'https://crm.fund.example');
    expect(ok.headers['access-control-allow-origin']).toBe('https://crm.fund.example');
    const other = await t.http.get('/api/health').set('Origin', 'https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('stopping', () => {
  it('does not wait for idle keep-alive or request-less connections (a browser keeps both open)', async () => {
    const t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    // A keep-alive connection that served a request and now idles, and one that never sent a request (what
    // a browser's speculative pre-connect looks like).
    const agent = new Agent({ keepAlive: true });
    const status = await new Promise<number | undefined>((resolve, reject) => {
      get({ port, host: '127.0.0.1', path: '/api/health', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      }).on('error', reject);
    });
    expect(status).toBe(200);
    const bare: Socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => bare.once('connect', resolve));
    const bareClosed = new Promise((resolve) => bare.once('close', resolve));

    const started = Date.now();
    await t.close();
    expect(Date.now() - started).toBeLessThan(3000);
    await bareClosed;
    agent.destroy();
  });
});
