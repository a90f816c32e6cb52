const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for an HTML element or a quoted attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * A value as a JavaScript expression for an inline `<script>`: JSON whose `<`, `>` and `&` are written as
 * `\u003c`…, so no value can close the script (`</script>`), open a comment (`<!--`) or be read as markup,
 * and whose U+2028/U+2029 (line breaks in old JavaScript) are escaped too. The result is valid JSON as well.
 */
export function inlineJson(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
