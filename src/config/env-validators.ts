import { validateCronExpression } from 'cron';
import { registerDecorator, type ValidationArguments } from 'class-validator';

/** A 5-field (minute) or 6-field (second) cron expression, as @nestjs/schedule reads it. */
export function isCronExpression(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const fields = value.trim().split(/\s+/);
  return (fields.length === 5 || fields.length === 6) && validateCronExpression(value.trim()).valid;
}

export function IsCronExpression(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCronExpression',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: 'must be a cron expression such as "30 2 * * *" (minute hour day month weekday)',
      },
      validator: { validate: isCronExpression },
    });
}

/** `Name <address@host>` or `address@host` (a host without a dot is fine: `crm@localhost` for a mail catcher). */
const MAILBOX = /^(?:[^<>@]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/;

export function IsMailbox(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isMailbox',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: 'is required when mail is configured: an address such as "venture-crm <crm@fund.example>"',
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && MAILBOX.test(value.trim()) },
    });
}

/** Refuses this setting when `other` is set too: one way to say something, not two that may disagree. */
export function NotWith(other: string): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'notWith',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `cannot be combined with ${other}: set one of them` },
      validator: {
        validate: (_value: unknown, args: ValidationArguments) =>
          (args.object as Record<string, unknown>)[other] === undefined,
      },
    });
}
