// The new and edit forms of every resource (AdminJS's own, registered under their names), made to come back:
// opened from a page of the back office, the form carries that page as its `redirectUrl`, which the server
// (resource-kit.ts backToOrigin) answers after saving — the contact one started on, or the filtered list.
// A new record's owner (or a task's assignee) starts as the signed-in user.
import React, { useEffect, useMemo, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { useCurrentAdmin } from 'adminjs';

// The page shown now and the one before it, as path + query (updated by useRememberPlace in the top bar).
let current = null;
let previous = null;

/** Called by an always-mounted component (the top bar's user menu): remembers where the user has been. */
export function useRememberPlace() {
  const location = useLocation();
  useEffect(() => {
    const here = `${location.pathname}${location.search}`;
    if (here !== current) {
      previous = current;
      current = here;
    }
  }, [location.pathname, location.search]);
}

const isForm = (path) => /\/actions\/(new|edit)(\?|$)/.test(path || '');

/** Where the user was before this form: the current page at first render (the top bar has not caught up). */
const origin = (formPath) => {
  const candidate = current && !current.startsWith(formPath) ? current : previous;
  if (!candidate || isForm(candidate)) return null;
  // Back to the page itself, not to the "refresh" AdminJS adds after a save.
  return candidate.replace(/([?&])refresh=true&?/, '$1').replace(/[?&]$/, '');
};

/** Reference fields a new record of this resource fills with the signed-in user. */
const OWN = ['owner', 'assignee'];

const FormReturn = (props) => {
  const { OriginalComponent, ...rest } = props;
  const location = useLocation();
  const navigate = useNavigate();
  const [admin] = useCurrentAdmin();
  const [from] = useState(() => origin(location.pathname));
  const isNew = rest.action?.name === 'new';
  const query = new URLSearchParams(location.search);
  const own = isNew
    ? OWN.filter((path) => rest.resource.properties[path]?.reference === 'User' && !query.has(path))
    : [];

  useEffect(() => {
    if (query.has('redirectUrl') || !from) return;
    const next = new URLSearchParams(location.search);
    next.set('redirectUrl', from);
    navigate(`${location.pathname}?${next.toString()}`, { replace: true });
  }, []);

  // A new record starts with the signed-in user as owner / assignee (labelled with their name).
  const record = useMemo(() => {
    if (!isNew || own.length === 0 || !admin?.id) return rest.record;
    // The session's title is "Full Name · role": the name alone labels the field.
    const title = (admin.title || admin.email).replace(/ · (admin|manager|member)$/, '');
    return {
      id: undefined,
      params: Object.fromEntries(own.map((path) => [path, admin.id])),
      populated: Object.fromEntries(own.map((path) => [path, { id: admin.id, title, params: {} }])),
      errors: {},
    };
  }, [admin?.id]);

  return <OriginalComponent {...rest} record={record} />;
};

export default FormReturn;
