import { Header } from '@nestjs/common';

/**
 * Text that is the JSON of a `T`, written by PostgreSQL (see pageOfRecords): a handler answers it as it is,
 * never parsed and printed again. Its route declares JsonTextResponse, and its OpenAPI response the `T`.
 */
export type JsonText<T> = string & { readonly jsonOf?: T };

/** A route that answers JsonText: Fastify sends a string with a JSON content type unchanged. */
export const JsonTextResponse = (): MethodDecorator =>
  Header('Content-Type', 'application/json; charset=utf-8');

/** The value a JsonText is the JSON of (for code that reads it rather than answering it: tests, the CLI). */
export const parsedJson = <T>(text: JsonText<T>): T => JSON.parse(text) as T;
