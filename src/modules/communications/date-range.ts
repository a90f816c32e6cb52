import { isISO8601, registerDecorator, type ValidationArguments } from 'class-validator';

import { isDateOnly } from '../../common/dto/validators.js';
import { ValidationError } from '../../common/errors/index.js';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function isDateTime(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    DATE_TIME.test(value) &&
    isISO8601(value, { strict: true }) &&
    !Number.isNaN(new Date(value).getTime())
  );
}

function rule(name: string, validate: (value: unknown) => boolean, reason: string): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate,
        defaultMessage: (args?: ValidationArguments) => `${args?.property ?? 'value'} ${reason}`,
      },
    });
}

/** A moment as an ISO 8601 date-time (`2024-03-15T14:30:00Z`, offset optional: server time when absent). */
export const IsDateTime = (): PropertyDecorator =>
  rule('isDateTime', isDateTime, 'must be an ISO 8601 date-time such as 2024-03-15T14:30:00Z');

/** A range bound: a calendar day (YYYY-MM-DD) or an ISO 8601 date-time. */
export const IsDateOrDateTime = (): PropertyDecorator =>
  rule(
    'isDateOrDateTime',
    (value) => isDateOnly(value) || isDateTime(value),
    'must be a date (YYYY-MM-DD) or an ISO 8601 date-time',
  );

/** Midnight starting a calendar day in the server's time zone. */
function localMidnight(day: string, addDays = 0): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d + addDays);
}

export interface DateRange {
  $gte?: Date;
  $lt?: Date;
  $lte?: Date;
}

/**
 * `from`/`to` as a filter on a timestamp. A bare day covers that whole day in the server's time zone
 * (`to=2024-03-31` includes the 31st); a date-time is an exact, inclusive bound. `from` after `to` is a 400.
 */
export function dateRange(from: string | undefined, to: string | undefined): DateRange | undefined {
  if (!from && !to) return undefined;
  const range: DateRange = {};
  if (from) range.$gte = isDateOnly(from) ? localMidnight(from) : new Date(from);
  if (to && isDateOnly(to)) range.$lt = localMidnight(to, 1);
  else if (to) range.$lte = new Date(to);
  const start = range.$gte;
  if (start && ((range.$lt && start >= range.$lt) || (range.$lte && start > range.$lte))) {
    throw ValidationError.field('from', 'must not be after to');
  }
  return range;
}
