import type { FastifyInstance } from 'fastify';

import { AppError } from '../errors/index.js';
import { invalidRequestText } from './invalid-text.js';

/**
 * The API's bodies: JSON (within the server's body limit: a 413 beyond it), and multipart uploads left unread
 * for the one route that takes them (the import, which reads the stream itself once the caller is known). Any
 * other content type is refused with a 415. Then the check that no text in the query or body is one PostgreSQL
 * cannot store (NUL, broken UTF-16): a 400 naming the field.
 */
export function useBodyParsers(fastify: FastifyInstance): void {
  const json = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    // An empty body is no body (as a client that sets the header on every request sends it).
    if (body === '') return done(null, undefined);
    void json(req, body as string, (err, value) =>
      err
        ? done(new AppError(400, 'INVALID_JSON', `The request body is not valid JSON: ${err.message}`))
        : done(null, value),
    );
  });
  fastify.addContentTypeParser('multipart/form-data', (_req, _payload, done) => done(null));
  fastify.addHook('preValidation', (request, _reply, done) => done(invalidRequestText(request)));
}
