import { DecimalType } from '@mikro-orm/core';

/** numeric(15,2) in PostgreSQL, a JSON number in the API. */
export const money = { type: new DecimalType('number'), precision: 15, scale: 2 } as const;

export const CURRENCY = /^[A-Z]{3}$/;
