import type { ServerResponse } from 'node:http';

import { describe, expect, it } from '@jest/globals';
import helmet from 'helmet';

import { securityHeaders } from './security-headers.js';

/** A response that keeps the headers set on it. */
function response(): { res: ServerResponse; headers: Map<string, unknown> } {
  const headers = new Map<string, unknown>();
  const res = {
    setHeader: (name: string, value: unknown) => headers.set(name, value),
    removeHeader: (name: string) => headers.delete(name),
  };
  return { res: res as unknown as ServerResponse, headers };
}

describe('securityHeaders', () => {
  it("sets helmet's headers, with the API's content security policy, on every response", () => {
    const secure = securityHeaders();
    for (let i = 0; i < 2; i++) {
      const { res, headers } = response();
      secure(res);
      expect(headers.get('Content-Security-Policy')).toContain("default-src 'self'");
      expect(headers.get('Content-Security-Policy')).toContain("img-src 'self' data:");
      expect(headers.get('Content-Security-Policy')).not.toContain('upgrade-insecure-requests');
      expect(headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(headers.get('X-Frame-Options')).toBe('SAMEORIGIN');
      expect(headers.has('Cross-Origin-Embedder-Policy')).toBe(false);
    }
  });

  it('sets every header helmet sets by default but the embedder policy, and no other', () => {
    const { res: viaHelmet, headers: expected } = response();
    helmet()({} as never, viaHelmet, () => undefined);
    const { res, headers } = response();
    securityHeaders()(res);
    expected.delete('Cross-Origin-Embedder-Policy');
    expect([...headers.keys()].sort()).toEqual([...expected.keys()].sort());
  });
});
