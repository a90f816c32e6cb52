import { HttpStatus, type Provider } from '@nestjs/common';

export interface ConstraintMessage {
  status: number;
  code: string;
  field?: string;
  message: string;
}

/** A module's answers by constraint name; `status` defaults to 409. */
export type ConstraintMessages = Record<string, Omit<ConstraintMessage, 'status'> & { status?: number }>;

/**
 * What to answer when PostgreSQL refuses a write by a named constraint. Services validate first; this is
 * the last line for races (two people saving the same email at once) and for writes from other paths.
 */
const messages = new Map<string, ConstraintMessage>();

/**
 * Declares a module's constraint messages: list it in the module's `providers`, beside the service whose
 * writes they answer. They are registered when the application starts, never by importing a file.
 */
export function constraintMessages(owner: string, entries: ConstraintMessages): Provider {
  return {
    provide: Symbol(`constraint messages of ${owner}`),
    useFactory: () => register(entries),
  };
}

/** Adds `entries`; a name already declared with another answer is a start-up error, not a silent override. */
function register(entries: ConstraintMessages): ConstraintMessages {
  for (const [name, entry] of Object.entries(entries)) {
    const message = { status: entry.status ?? HttpStatus.CONFLICT, ...entry };
    const known = messages.get(name);
    if (known && JSON.stringify(known) !== JSON.stringify(message)) {
      throw new Error(`Constraint ${name} is declared twice, with different messages`);
    }
    messages.set(name, message);
  }
  return entries;
}

export function constraintMessage(name: string | undefined): ConstraintMessage | undefined {
  return name ? messages.get(name) : undefined;
}

/** A constraint entry for bad input: 400 VALIDATION_FAILED naming the field. */
export function invalidField(field: string, message: string): ConstraintMessage {
  return { status: HttpStatus.BAD_REQUEST, code: 'VALIDATION_FAILED', field, message };
}
