// A field's help (its `description`), registered under AdminJS's own name: AdminJS's tooltip is placed
// centred above the icon and runs off the window's edge for fields at the left or right. This shows the
// browser's own tooltip (always inside the window) and gives the text to screen readers.
import React from 'react';
import { Icon } from '@adminjs/design-system';
import { useTranslation } from 'adminjs';

const PropertyDescription = ({ property }) => {
  const { tm } = useTranslation();
  if (!property.description) return null;
  const text = tm(property.description, property.resourceId);
  return (
    <span
      title={text}
      aria-label={text}
      role="note"
      tabIndex={0}
      data-testid={`help-${property.path}`}
      style={{ display: 'inline-flex', margin: '0 6px', cursor: 'help', verticalAlign: 'middle' }}
    >
      <Icon icon="HelpCircle" color="primary100" />
    </span>
  );
};

export default PropertyDescription;
