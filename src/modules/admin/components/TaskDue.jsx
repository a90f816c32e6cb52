// A task's due date on lists and its page: an open task past its due date in red, with how late it is
// ("3 days late"); done tasks and tasks due later as the plain date.
import React from 'react';
import { ValueGroup } from '@adminjs/design-system';
import { useTranslation } from 'adminjs';
import { COLORS, lateText } from './ui.jsx';

export const DueDate = ({ day, open, testId }) => {
  if (!day) return <span>—</span>;
  const late = open ? lateText(day) : null;
  if (!late) return <span data-testid={testId}>{String(day).slice(0, 10)}</span>;
  return (
    <span
      data-testid={testId}
      data-overdue="true"
      style={{ color: COLORS.late, fontWeight: 500, whiteSpace: 'nowrap' }}
    >
      {String(day).slice(0, 10)} · {late}
    </span>
  );
};

const TaskDue = ({ record, property, resource, where }) => {
  const { translateProperty } = useTranslation();
  const value = (
    <DueDate day={record.params[property.path]} open={record.params.status === 'open'} testId="task-due" />
  );
  if (where !== 'show') return value;
  return <ValueGroup label={translateProperty(property.label, resource.id)}>{value}</ValueGroup>;
};

export default TaskDue;
