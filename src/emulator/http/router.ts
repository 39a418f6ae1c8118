import { type RouteKey, routeKeys, routes, splitRouteKey } from '../../upstream/routes.js';

/**
 * JAX-RS style matching over the shared route table: the most specific path template that matches wins (more
 * literal characters first, then more parameters), then the method is chosen among that template's routes. A path
 * that matches no template is a 404; a matched template without the method is a 405. HEAD falls back to GET.
 */
interface Template {
  readonly template: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly byMethod: Map<string, RouteKey>;
}

function compile(template: string, oneOf: Readonly<Record<string, readonly string[]>> | undefined): Template {
  const names: string[] = [];
  const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name);
    const allowed = oneOf?.[name];
    return allowed ? `(${allowed.join('|')})` : '([^/]+)';
  });
  return { template, pattern: new RegExp(`^${source}/?$`), names, byMethod: new Map() };
}

function literalLength(template: string): number {
  return template.replace(/\{\w+\}/g, '').length;
}

const templates: Template[] = (() => {
  const byTemplate = new Map<string, Template>();
  for (const key of routeKeys) {
    const { method, template } = splitRouteKey(key);
    const spec = routes[key];
    let t = byTemplate.get(template);
    if (!t) {
      t = compile(template, 'oneOf' in spec ? spec.oneOf : undefined);
      byTemplate.set(template, t);
    }
    t.byMethod.set(method, key);
  }
  return [...byTemplate.values()].sort(
    (a, b) => literalLength(b.template) - literalLength(a.template) || b.names.length - a.names.length,
  );
})();

export type RouteMatch =
  | { readonly kind: 'route'; readonly route: RouteKey; readonly params: Record<string, string> }
  | { readonly kind: 'options'; readonly allow: string }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'method-not-allowed'; readonly template: string };

/** Matches a decoded path relative to the API base (e.g. `/users/jane`). */
export function matchRoute(method: string, path: string): RouteMatch {
  for (const t of templates) {
    const m = t.pattern.exec(path);
    if (!m) continue;
    if (method === 'OPTIONS') {
      const allow = new Set(t.byMethod.keys());
      if (allow.has('GET')) allow.add('HEAD');
      allow.add('OPTIONS');
      return { kind: 'options', allow: [...allow].join(',') };
    }
    const route = t.byMethod.get(method) ?? (method === 'HEAD' ? t.byMethod.get('GET') : undefined);
    if (!route) return { kind: 'method-not-allowed', template: t.template };
    const params: Record<string, string> = {};
    t.names.forEach((name, i) => {
      params[name] = m[i + 1] ?? '';
    });
    return { kind: 'route', route, params };
  }
  return { kind: 'not-found' };
}
