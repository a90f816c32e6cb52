import { ADMIN_ROOT } from './admin.constants.js';

const MAX_LENGTH = 2000;

/**
 * The page a form was opened from (its `redirectUrl` query parameter), if it is a path of the back office:
 * `/admin/…` on this host. Anything else — another host (`//evil.example`, `https://…`), a scheme
 * (`javascript:`), backslashes or control characters that browsers read as separators — is refused, so a
 * crafted link cannot send a user elsewhere after saving.
 */
export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return undefined;
  if (value !== ADMIN_ROOT && !value.startsWith(`${ADMIN_ROOT}/`) && !value.startsWith(`${ADMIN_ROOT}?`))
    return undefined;
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f\s]/.test(value) || value.includes('//')) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return undefined;
  }
  // Encoded separators ("/admin/%2e%2e/…", "%2f%2f") would change the path once decoded.
  if (decoded.includes('//') || decoded.includes('\\') || /(^|\/)\.\.?(\/|\?|$)/.test(decoded.split('?')[0]))
    return undefined;
  return value;
}
