// Show pages: links to the records that point at this one (a contact's opportunities, LP profiles, …),
// each opening the list filtered on this record. The counts come from the show action's after-hook.
import React from 'react';
import { Badge, Box, ValueGroup } from '@adminjs/design-system';

const Related = ({ record }) => {
  let links = [];
  try {
    links = JSON.parse(record.params.related || '[]');
  } catch {
    links = [];
  }
  if (links.length === 0) return null;
  return (
    <ValueGroup label="Related records">
      <Box flex flexWrap="wrap" style={{ gap: 8 }} data-testid="related-records">
        {links.map((link) => (
          <a key={link.href} href={link.href} style={{ textDecoration: 'none', color: '#1f4e79' }}>
            <Box
              px="lg"
              py="default"
              style={{ border: '1px solid #d5dae3', borderRadius: 6, background: '#fff' }}
            >
              {link.label}{' '}
              <Badge size="sm" variant={link.count ? 'primary' : 'default'} data-testid="related-count">
                {link.count}
              </Badge>
            </Box>
          </a>
        ))}
      </Box>
    </ValueGroup>
  );
};

export default Related;
