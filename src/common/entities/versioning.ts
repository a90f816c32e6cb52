import { applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Min } from 'class-validator';

import { StaleVersionError, ValidationError } from '../errors/index.js';

/**
 * Optimistic locking. Clients send the `version` they read (in the body, or as `If-Match: "3"`); a stale
 * one gets 409 with the current version. Without either, the update applies (last write wins) — the ORM
 * still refuses a write that raced another one between read and save.
 */
export function assertVersion(entityName: string, current: number, sent: number | undefined): void {
  if (sent !== undefined && sent !== current) throw new StaleVersionError(entityName, current, sent);
}

/** The version in an `If-Match` header (`3`, `"3"` or `W/"3"`), or undefined. */
export const IfMatchVersion = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): number | undefined => {
    const header = ctx.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers[
      'if-match'
    ];
    if (header === undefined) return undefined;
    const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
    if (!match) throw ValidationError.field('If-Match', 'must be the record version, e.g. "3"');
    return Number(match[1]);
  },
);

/** Body version wins over the header when both are sent. */
export function expectedVersion(
  bodyVersion: number | undefined,
  ifMatch: number | undefined,
): number | undefined {
  return bodyVersion ?? ifMatch;
}

/** Swagger entry for the optional `If-Match` header of an update route. */
export const ApiIfMatch = (): MethodDecorator =>
  ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The version you read, instead of `version` in the body',
  });

/** `version` in an update body: the version the client read (a stale one gets 409). */
export const VersionInput = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ description: 'The version you read; a stale one gets 409' }),
    IsOptional(),
    IsInt(),
    Min(1),
  );
