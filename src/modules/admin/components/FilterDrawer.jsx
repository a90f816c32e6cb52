// The list's filter drawer (AdminJS's own, registered under its name): it now closes once "Apply" has set
// the filters, so the results are not left under it.
import React from 'react';
import { useFilterDrawer } from 'adminjs';

const FilterDrawer = (props) => {
  const { OriginalComponent, ...rest } = props;
  const { isVisible, close } = useFilterDrawer();
  // The drawer is a <form>: its submit (Apply) bubbles here after AdminJS stored the filters in the URL.
  const onSubmit = () => {
    if (isVisible) close();
  };
  return (
    <div onSubmit={onSubmit} style={{ display: 'contents' }} data-testid="filter-drawer-wrapper">
      <OriginalComponent {...rest} />
    </div>
  );
};

export default FilterDrawer;
