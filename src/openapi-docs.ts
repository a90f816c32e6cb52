import 'reflect-metadata';

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import pino from 'pino';

import { AppModule } from './app.module.js';
import { API_PREFIX, buildOpenApiDocument } from './app.setup.js';
import { projectRoot } from './common/utils/project-root.js';
import { AppConfig } from './config/app-config.js';

/**
 * The OpenAPI document as the running app serves it at /api/docs-json, built from the Nest module graph in preview
 * mode: no provider is instantiated, so no database is needed or touched.
 */
export async function previewOpenApiDocument(config: AppConfig): Promise<OpenAPIObject> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, logger: pino({ level: 'silent' }) }),
    new FastifyAdapter(),
    { preview: true, logger: false, abortOnError: false, bodyParser: false },
  );
  app.setGlobalPrefix(API_PREFIX);
  return buildOpenApiDocument(app, config);
}

/** `npm run docs:openapi`: writes the document to the file given (default examples/openapi.json). */
async function main(): Promise<void> {
  const target = resolve(projectRoot(), process.argv[2] ?? 'examples/openapi.json');
  const config = new AppConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    // Never connected to: preview mode creates no providers.
    DATABASE_URL: 'postgresql://openapi@127.0.0.1:1/none',
  });
  const document = await previewOpenApiDocument(config);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`wrote ${target}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
