import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import type { Logger } from 'pino';

import { AppModule } from './app.module.js';
import { ErrorResponseDto } from './common/dto/error-response.dto.js';
import { requestContextMiddleware } from './common/context/request-context.middleware.js';
import { useBodyParsers } from './common/http/body-parsers.js';
import { parseQueryString } from './common/http/query-parser.js';
import { type AppConfig } from './config/app-config.js';
import { ADMIN_ROOT } from './modules/admin/admin.constants.js';
import { CustomFieldIndexes } from './modules/custom-fields/custom-field-indexes.js';

export const API_PREFIX = 'api';

/** Builds the whole application; used by main.ts, the CLI-free e2e tests and the benchmark alike. */
export async function createApp(config: AppConfig, logger: Logger): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, logger }), {
    bodyParser: false,
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(PinoNestLogger));
  configureHttp(app, config);
  setupSwagger(app, config);
  await app.init();
  // Background work of the server: index builds a stopped instance left unfinished.
  app.get(CustomFieldIndexes).resumeUnfinished();
  return app;
}

function configureHttp(app: NestExpressApplication, config: AppConfig): void {
  app.set('trust proxy', config.http.trustProxy);
  app.set('query parser', parseQueryString);
  app.disable('x-powered-by');
  app.use(requestContextMiddleware);
  // /admin sets its own headers (a CSP loosened for AdminJS) and parses its own forms (admin-pipeline.ts).
  app.use(
    exceptUnder(
      ADMIN_ROOT,
      helmet({
        // Strict by default; pages that need more (Swagger UI, /admin) are all served from this origin.
        contentSecurityPolicy: {
          directives: {
            defaultSrc: ["'self'"],
            imgSrc: ["'self'", 'data:'],
            styleSrc: ["'self'", "'unsafe-inline'"],
            fontSrc: ["'self'", 'data:'],
            upgradeInsecureRequests: null,
          },
        },
        crossOriginEmbedderPolicy: false,
      }),
    ),
  );
  useBodyParsers(app, config.http.bodyLimit, ADMIN_ROOT);
  if (config.http.corsOrigins.length > 0) {
    app.enableCors({ origin: config.http.corsOrigins, credentials: true, exposedHeaders: ['X-Request-Id'] });
  }
  app.setGlobalPrefix(API_PREFIX);
}

/** Runs `middleware` for every request except those under `prefix`. */
function exceptUnder(prefix: string, middleware: RequestHandler): RequestHandler {
  return (req, res, next) =>
    req.path === prefix || req.path.startsWith(`${prefix}/`) ? next() : middleware(req, res, next);
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
