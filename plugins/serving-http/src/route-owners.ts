import type { FastifyInstance } from 'fastify';
import { ConfigError, ModelportError, type Contribution } from '@modelport/core';
import type { ServingProtocol } from './protocols.js';
import type { ServingContext } from './routes/context.js';

const ownerOf = (c: Contribution<ServingProtocol>) => `protocol "${c.value.name}" of ${c.plugin}`;

/**
 * Adds each protocol's routes in a scope of its own, recording which protocol declared which
 * method and path: a second declaration is refused naming both protocols and their plugins
 * (fastify alone would say only that the route exists).
 */
export function registerProtocolRoutes(app: FastifyInstance, ctx: ServingContext, protocols: readonly Contribution<ServingProtocol>[]): void {
  const owners = new Map<string, string>();
  for (const c of protocols) {
    const register = c.value.register;
    if (!register) continue;
    const owner = ownerOf(c);
    app.register(async (scope) => {
      scope.addHook('onRoute', (route) => {
        const url = route.url.length > 1 ? route.url.replace(/\/+$/, '') : route.url;
        for (const method of [route.method].flat()) {
          const key = `${method} ${url}`;
          const first = owners.get(key);
          if (first && first !== owner) {
            throw new ConfigError(`${key} is declared by ${first} and by ${owner}; two protocols cannot serve one route: move one of them to another path or leave one plugin out`);
          }
          owners.set(key, owner);
        }
      });
      try {
        await register.call(c.value, scope, ctx);
      } catch (e) {
        if (e instanceof ModelportError) throw e;
        throw new ConfigError(`protocol "${c.value.name}" failed to add its routes: ${(e as Error).message}`, { plugin: c.plugin }, { cause: e });
      }
    });
  }
}
