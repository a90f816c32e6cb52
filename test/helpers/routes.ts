import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer, Reflector } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';

import { IS_PUBLIC_KEY, ROLES_KEY } from '../../src/common/decorators/auth.decorator.js';

const join = (...parts: string[]): string =>
  '/' +
  parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/');

/** Every HTTP route of the app with who may call it: "public", the roles, or "NO POLICY". */
export function routePolicies(app: INestApplication, prefix = 'api'): Record<string, string> {
  const reflector = app.get(Reflector);
  const policies: Record<string, string> = {};
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: unknown[]) => unknown) | null;
      if (!controller) continue;
      const base = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
      const proto = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (path === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const targets = [handler, controller];
        const roles = reflector.getAllAndOverride<string[] | undefined>(ROLES_KEY, targets);
        const policy = reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)
          ? 'public'
          : (roles?.join(',') ?? 'NO POLICY');
        policies[`${method} ${join(prefix, base, path)}`] = policy;
      }
    }
  }
  return Object.fromEntries(Object.entries(policies).sort(([a], [b]) => a.localeCompare(b)));
}
