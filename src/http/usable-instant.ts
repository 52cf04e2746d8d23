import { Errors } from '../core/errors.js';

/**
 * The instant an `IsoDate` string names. RFC 3339 allows a leap second (`23:59:60`), which
 * JavaScript cannot represent: that is a 400 naming the field, never an Invalid Date that
 * fails later as a 500.
 */
export function usableInstant(value: string, field?: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new Errors.invalid(`${field ? `${field} is not` : 'Not'} a usable date and time: ${value}`);
  }
  return date;
}
