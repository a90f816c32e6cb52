import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { MikroORM } from '@mikro-orm/postgresql';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import bytes from 'bytes';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import type { Logger } from 'pino';

import { AppModule } from './app.module.js';
import { ErrorResponseDto } from './common/dto/error-response.dto.js';
import { openRequestContext } from './common/context/request-context.middleware.js';
import { errorBody, errorCode } from './common/filters/all-exceptions.filter.js';
import { useBodyParsers } from './common/http/body-parsers.js';
import { securityHeaders } from './common/http/security-headers.js';
import { parseQueryString } from './common/http/query-parser.js';
import { incomingRequestId } from './common/logging/logger.js';
import { logWhenAnswered } from './common/logging/request-log.js';
import { type AppConfig } from './config/app-config.js';
import { ADMIN_ROOT } from './modules/admin/admin.constants.js';
import { BackOffice } from './modules/admin/back-office.js';
import { CustomFieldIndexes } from './modules/custom-fields/custom-field-indexes.js';

export const API_PREFIX = 'api';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** Whether `url` (a request target) is under /admin, the back office's. */
const underAdmin = (url = ''): boolean =>
  url.startsWith(ADMIN_ROOT) && (url.length === ADMIN_ROOT.length || '/?'.includes(url[ADMIN_ROOT.length]));

/**
 * Builds the whole application; used by main.ts, the CLI-free e2e tests and the benchmark alike. The API runs
 * on Fastify; the back office (AdminJS, an Express app) gets every request under /admin from the same server,
 * before Fastify sees it, so neither pays for the other's request handling.
 */
export async function createApp(config: AppConfig, logger: Logger): Promise<NestFastifyApplication> {
  // The back office's listener, once built (requests only come once the app listens).
  const mounted: { backOffice?: Listener } = {};
  const adapter = new FastifyAdapter({
    trustProxy: config.http.trustProxy,
    // The request's id: the caller's X-Request-Id when it is a sane one, else a new uuid.
    genReqId: incomingRequestId,
    bodyLimit: bytes.parse(config.http.bodyLimit) ?? 1_048_576,
    // A path segment of any length reaches its route (whose pipe names what is wrong with it).
    routerOptions: { querystringParser: parseQueryString, ignoreTrailingSlash: true, maxParamLength: 2048 },
    // What Fastify refuses before any hook or route runs (a malformed percent-encoding): the API's error body.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const status = error.statusCode ?? 400;
      void reply
        .code(status)
        .header('X-Request-Id', request.id)
        .send(errorBody(status, errorCode(status), error.message));
    },
    serverFactory: (api: Listener) =>
      createServer((req, res) =>
        mounted.backOffice && underAdmin(req.url) ? mounted.backOffice(req, res) : api(req, res),
      ),
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, logger }),
    adapter,
    {
      bodyParser: false,
      bufferLogs: true,
      abortOnError: false,
    },
  );
  app.useLogger(app.get(PinoNestLogger));
  configureHttp(app, config, logger);
  setupSwagger(app, config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  mounted.backOffice = app.get(BackOffice).app(logger);
  // Background work of the server: index builds a stopped instance left unfinished.
  app.get(CustomFieldIndexes).resumeUnfinished();
  return app;
}

function configureHttp(app: NestFastifyApplication, config: AppConfig, logger: Logger): void {
  const fastify = app.getHttpAdapter().getInstance();
  const orm = app.get(MikroORM);
  const secure = securityHeaders();
  // First, and all that runs before routing (no Nest middleware does): the security headers, the request's line in
  // the log, and its id and context (with the EntityManager it will use).
  fastify.addHook('onRequest', (request, reply, done) => {
    secure(reply.raw);
    logWhenAnswered(logger, request.raw, reply.raw);
    openRequestContext(request.raw, reply.raw, { id: request.id, ip: request.ip, entities: orm.em }, done);
  });
  useBodyParsers(fastify);
  if (config.http.corsOrigins.length > 0) {
    app.enableCors({ origin: config.http.corsOrigins, credentials: true, exposedHeaders: ['X-Request-Id'] });
  }
  app.setGlobalPrefix(API_PREFIX);
}

export function buildOpenApiDocument(app: INestApplication, config: AppConfig) {
  const document = new DocumentBuilder()
    .setTitle('venture-crm API')
    .setDescription(
      "REST API of venture-crm, the self-hosted CRM for a venture fund's investor relations and fundraising.\n\n" +
        'Authenticate with `Authorization: Bearer <token>`: a JWT from `POST /api/auth/login` or an API token from ' +
        '`POST /api/auth/tokens`. Errors always answer `{ statusCode, error, code, message, details? }` (schema ErrorResponseDto).',
    )
    .setVersion(config.version)
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'JWT from /api/auth/login, or an API token',
    })
    .build();
  return withErrorBodies(SwaggerModule.createDocument(app, document, { extraModels: [ErrorResponseDto] }));
}

/**
 * AllExceptionsFilter answers every error with one body, so every declared 4xx/5xx carries it: a typed
 * client then sees ErrorResponseDto as the error of each operation. A response that names its own body keeps it.
 */
function withErrorBodies(document: OpenAPIObject): OpenAPIObject {
  const errorBody = {
    'application/json': { schema: { $ref: `#/components/schemas/${ErrorResponseDto.name}` } },
  };
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      for (const [status, response] of Object.entries(item[method]?.responses ?? {})) {
        if (response && Number(status) >= 400 && !('$ref' in response) && !response.content) {
          response.content = errorBody;
        }
      }
    }
  }
  return document;
}

function setupSwagger(app: INestApplication, config: AppConfig): void {
  SwaggerModule.setup(`${API_PREFIX}/docs`, app, () => buildOpenApiDocument(app, config), {
    jsonDocumentUrl: `${API_PREFIX}/docs-json`,
    customSiteTitle: 'venture-crm API',
    swaggerOptions: {
      persistAuthorization: true,
      validatorUrl: null,
      tagsSorter: 'alpha',
      operationsSorter: 'alpha',
    },
  });
}
