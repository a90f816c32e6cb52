// Email, phone, website and LinkedIn on record pages as links — only mailto:, tel: and http(s): a stored
// value such as "javascript:…" stays plain text. React escapes the text; the href is built here, not taken
// as stored.
import React from 'react';
import { ValueGroup } from '@adminjs/design-system';
import { useTranslation } from 'adminjs';
import { COLORS } from './ui.jsx';

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

/** The href for a value of this kind, or null when it is not one we link. */
export const safeHref = (kind, value) => {
  const text = String(value ?? '').trim();
  if (!text) return null;
  if (kind === 'email') return EMAIL.test(text) ? `mailto:${text}` : null;
  if (kind === 'phone') {
    const digits = text.replace(/[^\d+]/g, '');
    return /^\+?\d{3,20}$/.test(digits) ? `tel:${digits}` : null;
  }
  try {
    // A website typed without its scheme ("redwood.example") is an https address.
    const url = new URL(/^[a-z][a-z\d+.-]*:/i.test(text) ? text : `https://${text}`);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
};

const LinkValue = ({ record, property, resource }) => {
  const { translateProperty } = useTranslation();
  const value = record.params[property.path];
  const kind = property.props?.linkKind ?? 'url';
  const href = safeHref(kind, value);
  const external = kind === 'url';
  return (
    <ValueGroup label={translateProperty(property.label, resource.id)}>
      {href ? (
        <a
          href={href}
          data-testid={`link-${property.path}`}
          style={{ color: COLORS.link, overflowWrap: 'anywhere' }}
          {...(external ? { target: '_blank', rel: 'noopener noreferrer' } : {})}
        >
          {String(value)}
        </a>
      ) : (
        <span>{value ? String(value) : '—'}</span>
      )}
    </ValueGroup>
  );
};

export default LinkValue;
