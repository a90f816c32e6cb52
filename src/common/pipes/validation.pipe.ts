import { type ValidationError as ClassValidatorError, ValidationPipe } from '@nestjs/common';

import { type ErrorDetail, ValidationError } from '../errors/index.js';
import { cacheValidationMetadata } from './validation-metadata-cache.js';

// Every validation of the app (this pipe, the back office's forms, each row of an import) reads its rules through
// code that imports this module: from here on, class-validator finds a class's rules once, not on every call.
cacheValidationMetadata();

/** class-validator errors as `{ field, message }` details (also used by the back office's forms). */
export function validationDetails(errors: ClassValidatorError[], prefix = ''): ErrorDetail[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    // A missing value fails every rule at once; one clear reason is better than five.
    if ((e.value === undefined || e.value === null) && e.constraints && !e.constraints.whitelistValidation) {
      return [{ field, message: 'is required' }];
    }
    const own = Object.entries(e.constraints ?? {}).map(([constraint, message]) => ({
      field,
      message:
        constraint === 'whitelistValidation'
          ? 'is not an accepted field'
          : // class-validator starts messages with the property name; keep the reason only.
            message.startsWith(`${e.property} `)
            ? message.slice(e.property.length + 1)
            : message,
    }));
    return [...own, ...validationDetails(e.children ?? [], field)];
  });
}

/** Global pipe: strips nothing silently — unknown fields are refused — and converts query strings to types. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    // Values are read to spot missing fields; they are never echoed back.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => {
      const details = validationDetails(errors);
      const message = details.map((d) => `${d.field} ${d.message}`).join('; ');
      return new ValidationError(message || 'Invalid request', details);
    },
  });
}
