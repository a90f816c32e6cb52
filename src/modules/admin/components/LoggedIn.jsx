// The top bar's user menu (replaces AdminJS's LoggedIn): "Log out" sends a POST from this page, so signing
// out is a same-origin write like every other (the server refuses cross-site ones).
import React from 'react';
import { Box, CurrentUserNav } from '@adminjs/design-system';
import { useTranslation } from 'adminjs';
import { useRememberPlace } from './FormReturn.jsx';

function signOut(path) {
  const form = document.createElement('form');
  form.method = 'POST';
  form.action = path;
  document.body.appendChild(form);
  form.submit();
}

const LoggedIn = ({ session, paths }) => {
  const { translateButton } = useTranslation();
  // Mounted on every page: remembers the page before a form, where the form returns after saving.
  useRememberPlace();
  const dropActions = [
    {
      label: translateButton('logout'),
      icon: 'LogOut',
      onClick: (event) => {
        event.preventDefault();
        signOut(paths.logoutPath);
      },
    },
  ];
  return (
    <Box flexShrink={0} data-css="logged-in">
      <CurrentUserNav
        name={session.email}
        title={session.title}
        avatarUrl={session.avatarUrl}
        dropActions={dropActions}
      />
    </Box>
  );
};

export default LoggedIn;
