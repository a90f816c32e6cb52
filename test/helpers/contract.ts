import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Response, Test } from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';

import { buildOpenApiDocument } from '../../src/app.setup.js';
import type { AppConfig } from '../../src/config/app-config.js';

/**
 * The response contract: every response that goes through `t.http` to a path under /api is checked against
 * the app's own OpenAPI document (the one /api/docs-json serves). A 1xx–3xx status must be declared by the
 * operation, and its body match the declared schema; a 4xx/5xx must match the schema the operation declares
 * for it, else the app's one error schema (ErrorResponseDto). A path the document does not declare fails, unless
 * the answer is the router's own 404 for a route that does not exist.
 * The document and every compiled schema are built once per test file.
 */

const ERROR_SCHEMA = 'ErrorResponseDto';
/** Served by Nest but deliberately not part of the document: the Swagger UI and the document itself. */
const OUTSIDE_DOCUMENT = /^\/api\/docs(?:-json|-yaml|\/.*)?$/;
const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

interface Operation {
  template: string;
  pattern: RegExp;
  literal: number;
  responses: Record<string, { content?: Record<string, unknown> }>;
}

interface Contract {
  ajv: Ajv;
  operations: Map<string, Operation[]>;
  validators: Map<string, ValidateFunction>;
}

let contract: Contract | undefined;
const exempt = new WeakSet<Test>();

/**
 * Takes one request out of the contract check. Only for a test that deliberately sends something the
 * document does not describe; say why next to the call.
 */
export function outsideContract(test: Test): Test {
  exempt.add(test);
  return test;
}

/** OpenAPI 3.0 `nullable` → JSON Schema, which Ajv understands with or without a `type` beside it. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = toJsonSchema(value);
  if (out.nullable !== true) return out;
  delete out.nullable;
  return { anyOf: [out, { type: 'null' }] };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compileContract(document: OpenAPIObject): Contract {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(toJsonSchema(JSON.parse(JSON.stringify(document))) as object, 'openapi');
  const operations = new Map<string, Operation[]>();
  for (const [template, item] of Object.entries(document.paths)) {
    const source = template
      .split(/\{[^}]+\}/)
      .map(escapeRegExp)
      .join('[^/]+');
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const list = operations.get(method) ?? [];
      list.push({
        template,
        pattern: new RegExp(`^${source}$`),
        literal: template.replace(/\{[^}]+\}/g, '').length,
        responses: op.responses as Operation['responses'],
      });
      operations.set(method, list);
    }
  }
  // A literal segment wins over a parameter: /api/contacts/duplicates before /api/contacts/{id}.
  for (const list of operations.values()) list.sort((a, b) => b.literal - a.literal);
  return { ajv, operations, validators: new Map() };
}

function pointer(...parts: string[]): string {
  return parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

function validator(c: Contract, ref: string): ValidateFunction {
  let validate = c.validators.get(ref);
  if (!validate) {
    validate = c.ajv.compile({ $ref: ref });
    c.validators.set(ref, validate);
  }
  return validate;
}

function mediaType(res: Response): string {
  return String(res.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
}

/** Why `res` breaks the contract, or undefined when it keeps it. */
export function contractViolation(
  c: Contract,
  method: string,
  url: string,
  res: Response,
): string | undefined {
  // The path as sent (new URL() would resolve `..`, which the server receives and routes as a parameter).
  const path = url.replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/[?#].*$/, '');
  if (!path.startsWith('/api/') || OUTSIDE_DOCUMENT.test(path)) return undefined;
  const where = `${method.toUpperCase()} ${path} → ${res.status}`;
  const op = c.operations.get(method.toLowerCase())?.find((o) => o.pattern.test(path));
  if (!op) {
    // The router's own answer to a route that does not exist is the one thing an undeclared path may say.
    const body = res.body as { code?: unknown; message?: unknown };
    const noRoute =
      res.status === 404 &&
      body.code === 'NOT_FOUND' &&
      String(body.message).startsWith(`No route ${method.toUpperCase()} `);
    if (noRoute && validator(c, `openapi#/components/schemas/${ERROR_SCHEMA}`)(res.body)) return undefined;
    return `${where}: the OpenAPI document declares no ${method.toUpperCase()} ${path}`;
  }
  const status = String(res.status);
  const isError = res.status >= 400;
  // An error status declared only by its description is answered with the one error body.
  const declared = isError && !op.responses[status]?.content ? undefined : op.responses[status];
  if (!declared && !isError) {
    return `${where}: ${op.template} declares only ${Object.keys(op.responses).join(', ')}`;
  }
  const type = mediaType(res);
  const hasBody = res.status !== 204 && res.status !== 304 && method.toLowerCase() !== 'head' && type !== '';
  let ref: string;
  if (declared) {
    const content = declared.content ?? {};
    if (!hasBody) {
      return Object.keys(content).length === 0 || res.status === 204
        ? undefined
        : `${where}: declared a body (${Object.keys(content).join(', ')}) but none came`;
    }
    const declaredType = Object.keys(content).find((t) => t === type || t === '*/*');
    if (!declaredType) {
      const declaredTypes = Object.keys(content).join(', ') || 'no body';
      return `${where}: answered ${type}, the document declares ${declaredTypes}`;
    }
    if (!type.includes('json')) return undefined;
    ref = `openapi#/${pointer('paths', op.template, method.toLowerCase(), 'responses', status, 'content', declaredType, 'schema')}`;
    if (!(content[declaredType] as { schema?: unknown }).schema)
      return `${where}: declared ${type} without a schema`;
  } else {
    if (type !== 'application/json')
      return `${where}: an error answered ${type || 'no body'}, not the JSON error body`;
    ref = `openapi#/components/schemas/${ERROR_SCHEMA}`;
  }
  const validate = validator(c, ref);
  if (validate(res.body)) return undefined;
  const errors = (validate.errors ?? [])
    .slice(0, 8)
    .map((e) => `  ${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
    .join('\n');
  return `${where}: the body does not match the OpenAPI document (${op.template}, ${declared ? status : ERROR_SCHEMA}):\n${errors}\nbody: ${JSON.stringify(res.body).slice(0, 600)}`;
}

/** Wraps every request `agent` makes so its response is checked against the app's OpenAPI document. */
export function withContract(agent: TestAgent, app: INestApplication, config: AppConfig): TestAgent {
  contract ??= compileContract(buildOpenApiDocument(app, config));
  const c = contract;
  return new Proxy(agent, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (
        typeof value !== 'function' ||
        !(METHODS as readonly unknown[]).includes(key === 'del' ? 'delete' : key)
      ) {
        return value;
      }
      return (...args: unknown[]) => {
        const test = (value as (...a: unknown[]) => Test).apply(target, args);
        const end = test.end.bind(test);
        test.end = (fn?: (err: Error | null, res: Response) => void) =>
          end((err, res) => {
            const violation =
              !err && !exempt.has(test) ? contractViolation(c, test.method, test.url, res) : undefined;
            fn?.(violation ? new Error(`Response contract: ${violation}`) : err, res);
          });
        return test;
      };
    },
  });
}
