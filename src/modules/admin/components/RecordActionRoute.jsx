// AdminJS's record page (show, edit, a record action), registered under its name: mounted afresh for each
// record and action. AdminJS keeps the same page mounted from one record to the next and fetches on each
// change of route, but shows whichever answer lands last: leave a record page while it loads (a save that
// returns to another record, a quick click on to the next) and the late answer for the old record replaced
// the new one, leaving a spinner for good. A fresh page per route drops the old page's answer with it.
import React from 'react';
import { useParams } from 'react-router-dom';

const RecordActionRoute = ({ OriginalComponent, ...rest }) => {
  const { resourceId, recordId, actionName } = useParams();
  return <OriginalComponent key={`${resourceId}/${recordId}/${actionName}`} {...rest} />;
};

export default RecordActionRoute;
