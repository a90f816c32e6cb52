import { describe, expect, it } from '@jest/globals';

import { safeReturnPath } from './return-path.js';

describe('safeReturnPath', () => {
  it('keeps paths of the back office, with their query', () => {
    expect(safeReturnPath('/admin')).toBe('/admin');
    expect(safeReturnPath('/admin/resources/Contact/records/5/show')).toBe(
      '/admin/resources/Contact/records/5/show',
    );
    expect(safeReturnPath('/admin/resources/Task?filters.status=open&page=2')).toBe(
      '/admin/resources/Task?filters.status=open&page=2',
    );
  });

  it.each([
    undefined,
    '',
    42,
    ['/admin'],
    'https://evil.example/admin',
    '//evil.example/admin',
    '/admin//evil.example',
    '/administrator',
    'javascript:alert(1)',
    '/admin/\\evil.example',
    '/admin/%2f%2fevil.example',
    '/admin/../api/users',
    '/admin/%2e%2e/api/users',
    '/admin/resources/Task\nLocation: x',
    '/api/users',
  ])('refuses %p', (value) => {
    expect(safeReturnPath(value)).toBeUndefined();
  });

  it('refuses a path longer than 2000 characters', () => {
    expect(safeReturnPath(`/admin/${'a'.repeat(2000)}`)).toBeUndefined();
  });
});
