// Calendar-day fields (due dates, close dates, LP dates): AdminJS's own picker sends the chosen day's midnight
// as a UTC instant cut to its date, which is the day before for anyone east of Greenwich. This one sends the
// day the user picked, as YYYY-MM-DD, whatever the browser's time zone.
import React from 'react';
import { DatePicker, FormGroup, FormMessage } from '@adminjs/design-system';
import { PropertyLabel, useTranslation } from 'adminjs';

const pad = (n) => String(n).padStart(2, '0');

/** The picker's instant as the calendar day it shows in this browser. */
export const dayFromPicker = (iso) => {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ''
    : `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
};

/** A stored day as the picker's value: that day's local midnight. */
export const pickerValue = (day) => (day ? `${String(day).slice(0, 10)}T00:00:00` : '');

const DayPicker = ({ property, record, onChange }) => {
  const { tm } = useTranslation();
  const error = record.errors && record.errors[property.path];
  return (
    <FormGroup error={!!error}>
      <PropertyLabel property={property} />
      <DatePicker
        id={property.path}
        propertyType="date"
        disabled={property.isDisabled}
        value={pickerValue(record.params && record.params[property.path])}
        onChange={(iso) => onChange(property.path, dayFromPicker(iso))}
      />
      <FormMessage>{error && tm(error.message, property.resourceId)}</FormMessage>
    </FormGroup>
  );
};

export default DayPicker;
