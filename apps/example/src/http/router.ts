import { ApiError } from '../errors/api-error.js';

/** Parameters captured from a route's `:name` segments. */
export type RouteParams = Record<string, string>;

/** A matched route. */
export type RouteMatch<H> = { handler: H; params: RouteParams; route: string };

type Route<H> = { method: string; pattern: string; segments: string[]; handler: H };

const SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A small exact-segment router. `:name` segments capture an id (1-64 letters, digits, `_`, `-`),
 * so no handler ever sees a path parameter it did not expect. An unknown path is a 404
 * `NOT_FOUND`, a known path with another method a 405 `METHOD_NOT_ALLOWED`.
 */
export class Router<H> {
  readonly #routes: Route<H>[] = [];

  /** Adds a route like `POST /accounts/:accountId/deposits`. */
  add(method: string, pattern: string, handler: H): this {
    this.#routes.push({ method, pattern, segments: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  /** Finds the route for `method` and `path` (without query string). */
  match(method: string, path: string): RouteMatch<H> {
    const parts = path.split('/').filter(Boolean);
    let pathMatched = false;
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, parts);
      if (params === undefined) continue;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) {
        return { handler: route.handler, params, route: route.pattern };
      }
      pathMatched = true;
    }
    if (pathMatched) throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path.slice(0, 200)}`);
    throw new ApiError(404, 'NOT_FOUND', 'no such route');
  }
}

function matchSegments(segments: readonly string[], parts: readonly string[]): RouteParams | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: RouteParams = Object.create(null) as RouteParams;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const part = parts[i]!;
    if (segment.startsWith(':')) {
      if (!SEGMENT.test(part)) return undefined;
      params[segment.slice(1)] = part;
    } else if (segment !== part) return undefined;
  }
  return params;
}
