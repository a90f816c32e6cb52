import { HttpStatus } from '@nestjs/common';

export interface ConstraintMessage {
  status: number;
  code: string;
  field?: string;
  message: string;
}

/**
 * What to answer when PostgreSQL refuses a write by a named constraint. Services validate first; this is
 * the last line for races (two people saving the same email at once) and for writes from other paths.
 */
const messages = new Map<string, ConstraintMessage>();

export function registerConstraintMessages(
  entries: Record<string, Omit<ConstraintMessage, 'status'> & { status?: number }>,
): void {
  for (const [name, entry] of Object.entries(entries)) {
    messages.set(name, { status: entry.status ?? HttpStatus.CONFLICT, ...entry });
  }
}

export function constraintMessage(name: string | undefined): ConstraintMessage | undefined {
  return name ? messages.get(name) : undefined;
}

/** A constraint entry for bad input: 400 VALIDATION_FAILED naming the field. */
export function invalidField(field: string, message: string): ConstraintMessage {
  return { status: HttpStatus.BAD_REQUEST, code: 'VALIDATION_FAILED', field, message };
}
