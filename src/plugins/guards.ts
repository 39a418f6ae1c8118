import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { Plugin, YogaServerOptions } from 'graphql-yoga';
import { DEFAULTS, type GatewayConfig } from '../config.js';
import { useCors } from './use-cors.js';
import { useCsrf } from './use-csrf.js';
import { type RequestLimits, useLimits, yogaLimitOptions } from './use-limits.js';
import { type PersistedOptions, usePersisted } from './use-persisted.js';

/** What browsers may do: GraphiQL is switched separately (`AppDeps.graphiql`), since the gateway serves it. */
export type BrowserOptions = Omit<GatewayConfig['browser'], 'graphiql'>;

export interface GuardOptions {
  readonly limits?: Partial<RequestLimits>;
  readonly browser?: Partial<BrowserOptions>;
  readonly persisted?: Partial<PersistedOptions>;
}

/**
 * The yoga options that guard `/graphql`: every request limit, CORS, CSRF prevention, the introspection switch and
 * persisted queries. All of them refuse a request before it reaches a resolver, so before any upstream call.
 */
export function guardOptions(options: GuardOptions): Pick<
  YogaServerOptions<object, object>,
  'batching' | 'maxRequestBodySize' | 'cors'
> & {
  readonly plugins: Array<Plugin | Plugin<Record<string, unknown>>>;
} {
  const limits = { ...DEFAULTS.limits, ...options.limits };
  const browser = { ...DEFAULTS.browser, ...options.browser };
  const persisted = {
    apq: DEFAULTS.persisted.apq,
    operations: null,
    only: DEFAULTS.persisted.only,
    ...options.persisted,
  };
  return {
    ...yogaLimitOptions(limits),
    // Yoga's built-in CORS reflects every origin; useCors allows only the listed ones.
    cors: false,
    plugins: [
      useCors(browser.corsOrigins),
      ...(browser.csrfPrevention ? [useCsrf()] : []),
      ...usePersisted(persisted),
      ...useLimits(limits),
      ...(browser.introspection ? [] : [useDisableIntrospection()]),
    ],
  };
}
