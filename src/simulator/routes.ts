/**
 * The route table of the simulated service, and how a request path finds its route.
 */
import type { RouteKey } from './faults.js';
import type { Reply } from './http.js';
import type { SimState } from './state.js';
import { serviceRoutes } from './service.js';
import { cogneeRoutes } from './cognee.js';
import { aiRoutes } from './ai.js';

export interface RequestContext {
  state: SimState;
  /** The JSON body of a POST (`{}` when empty); `{}` for a GET. */
  body: Record<string, unknown>;
  /** Values of the `:name` segments of the route's path. */
  params: Record<string, string>;
  query: URLSearchParams;
  accept: string;
  jobPollsToFinish: number;
}

export interface Route {
  method: 'GET' | 'POST';
  key: RouteKey;
  handle(ctx: RequestContext): Reply;
}

const ROUTES: Route[] = [...serviceRoutes, ...cogneeRoutes, ...aiRoutes];

export const ROUTE_KEYS: ReadonlySet<RouteKey> = new Set(ROUTES.map((r) => r.key));

/** `/cognee/ingest/status/:jobId` → a regex with one capture per parameter; a trailing slash is allowed. */
function templatePattern(key: RouteKey): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = key
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}/?$`), names };
}

const COMPILED = ROUTES.map((route) => ({ route, ...templatePattern(route.key) }));

export type RouteMatch =
  | { found: 'route'; route: Route; params: Record<string, string> }
  /** The path exists but not for this method (FastAPI answers 405). */
  | { found: 'path'; key: RouteKey }
  | { found: 'none' };

export function matchRoute(method: string, pathname: string): RouteMatch {
  let pathKey: RouteKey | undefined;
  for (const { route, pattern, names } of COMPILED) {
    const m = pattern.exec(pathname);
    if (!m) continue;
    if (route.method === method) {
      const params = Object.fromEntries(names.map((name, i) => [name, m[i + 1]!]));
      return { found: 'route', route, params };
    }
    pathKey ??= route.key;
  }
  return pathKey ? { found: 'path', key: pathKey } : { found: 'none' };
}
