import { type Dictionary, type FilterQuery, raw } from '@mikro-orm/core';
import type { PropertyOptions } from 'adminjs';

import { contactQuietSql, organizationQuietSql } from '../../communications/recent-activity.js';
import { TaskStatus } from '../../tasks/task.entity.js';
import type { VirtualProperty } from './crm-properties.js';

/**
 * List filters that are not a column: a choice of named values, each a condition in SQL ("overdue", "no
 * activity in 30 days"). The list's preset buttons (components/RecordsTable.jsx) set them too.
 */
export interface ChoiceFilter {
  path: string;
  choices: { value: string; label: string; where: () => FilterQuery<Dictionary> }[];
}

/** Matches no row: an unknown choice filters everything out rather than being ignored. */
const NOTHING = { id: null };

export const choiceVirtual = (filter: ChoiceFilter): VirtualProperty => ({
  path: filter.path,
  type: 'string',
  where: (value) => filter.choices.find((c) => c.value === value)?.where() ?? NOTHING,
});

export const choiceProperty = (filter: ChoiceFilter): PropertyOptions => ({
  isVisible: { list: false, show: false, edit: false, filter: true },
  availableValues: filter.choices.map(({ value, label }) => ({ value, label })),
});

/** Today as the server's calendar day (what the dashboard and the reminder mail call today). */
const today = (): string => new Date().toISOString().slice(0, 10);

/** Tasks: what is due (open and late, open and due today). */
export const TASK_DUE: ChoiceFilter = {
  path: 'due',
  choices: [
    {
      value: 'overdue',
      label: 'Overdue',
      where: () => ({ status: TaskStatus.Open, dueDate: { $lt: today() } }),
    },
    { value: 'today', label: 'Due today', where: () => ({ status: TaskStatus.Open, dueDate: today() }) },
  ],
};

/** Tasks: done ones are left out of lists unless this (or the status filter) asks for them. */
export const TASK_DONE: ChoiceFilter = {
  path: 'doneTasks',
  choices: [
    { value: 'include', label: 'Show done tasks too', where: () => ({}) },
    { value: 'only', label: 'Only done tasks', where: () => ({ status: TaskStatus.Done }) },
  ],
};

export const TASK_HIDDEN_BY_DEFAULT = {
  where: { status: { $ne: TaskStatus.Done } },
  unless: ['status', TASK_DONE.path],
};

const QUIET_DAYS = 30;

const quiet = (sql: (alias: string, days: number) => string): ChoiceFilter => ({
  path: 'activity',
  choices: [
    {
      value: 'quiet30',
      label: `No activity in ${QUIET_DAYS} days`,
      where: () => ({ [raw((alias: string) => sql(alias, QUIET_DAYS))]: [] }),
    },
  ],
});

export const CONTACT_ACTIVITY = quiet(contactQuietSql);
export const ORGANIZATION_ACTIVITY = quiet(organizationQuietSql);
