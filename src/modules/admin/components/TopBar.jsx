// The top bar (replaces AdminJS's TopBar): the menu button on small screens, the global search, and the user
// menu. AdminJS's own bar shows versions (none configured) and a language picker (one language) besides.
import React from 'react';
import { Box, Icon } from '@adminjs/design-system';
import { useSelector } from 'react-redux';
import GlobalSearch from './GlobalSearch.jsx';
import LoggedIn from './LoggedIn.jsx';

const TopBar = ({ toggleSidebar }) => {
  const session = useSelector((state) => state.session);
  const paths = useSelector((state) => state.paths);
  return (
    <Box
      data-css="topbar"
      flex
      flexDirection="row"
      alignItems="center"
      flexShrink={0}
      height="navbarHeight"
      bg="container"
      borderBottom="default"
    >
      <Box
        py="lg"
        px={['default', 'lg']}
        onClick={toggleSidebar}
        display={['block', 'block', 'block', 'block', 'none']}
        style={{ cursor: 'pointer' }}
      >
        <Icon icon="Menu" size={24} />
      </Box>
      <Box flex flexGrow={1} alignItems="center">
        <GlobalSearch />
      </Box>
      {session && session.email ? <LoggedIn session={session} paths={paths} /> : null}
    </Box>
  );
};

export default TopBar;
