import type { IncomingMessage, ServerResponse } from 'node:http';
import { MethodNotAllowedError, RouteNotFoundError } from './errors.js';

/** What a handler gets besides req/res: the raw path (with its query, undecoded) and the parsed query. */
export interface RouteContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** `req.url` as sent: archived URLs inside it keep their own query strings. */
  readonly raw: string;
  /** The path after the route's prefix, query included. */
  readonly rest: string;
  readonly query: URLSearchParams;
}

export type Handler = (ctx: RouteContext) => void | Promise<void>;

interface Route {
  readonly prefix: string;
  readonly exact: boolean;
  readonly methods: readonly string[];
  readonly handler: Handler;
}

/**
 * A tiny prefix router: routes are registered by small modules (`routes/*.ts`), the longest
 * matching prefix wins. Prefix matching (not patterns) because archived URLs, slashes and all,
 * ride inside the path (`/web/<ts>/<url>`).
 */
export class Router {
  readonly #routes: Route[] = [];

  /** `prefix` ending in `/` matches everything under it (but `/` only itself); otherwise only the exact path (query aside). */
  get(prefix: string, handler: Handler, options: { methods?: readonly string[] } = {}): this {
    this.#routes.push({ prefix, exact: prefix === '/' || !prefix.endsWith('/'), methods: options.methods ?? ['GET', 'HEAD'], handler });
    this.#routes.sort((a, b) => b.prefix.length - a.prefix.length);
    return this;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    for (const r of this.#routes) {
      const hit = r.exact ? path === r.prefix : path.startsWith(r.prefix);
      if (!hit) continue;
      if (!r.methods.includes(req.method ?? 'GET')) throw new MethodNotAllowedError(req.method ?? '');
      const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
      await r.handler({ req, res, raw, rest: raw.slice(r.prefix.length), query });
      return;
    }
    throw new RouteNotFoundError(path);
  }
}
