import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { Plugin, YogaServerOptions } from 'graphql-yoga';
import { useCors } from './use-cors.js';
import { useCsrf } from './use-csrf.js';
import { DEFAULT_LIMITS, type DocumentLimits, useLimits, yogaLimitOptions } from './use-limits.js';
import { DEFAULT_PERSISTED, type PersistedOptions, usePersisted } from './use-persisted.js';
import { useWellFormedInput } from './use-well-formed.js';

/** What browsers may do: GraphiQL is switched separately (`AppDeps.graphiql`), since the gateway serves it. */
export interface BrowserOptions {
  /** `CORS_ORIGINS`: origins allowed to call from a browser; empty allows none. */
  readonly corsOrigins: readonly string[];
  /** `CSRF_PREVENTION` */
  readonly csrfPrevention: boolean;
  /** `INTROSPECTION` */
  readonly introspection: boolean;
}

export const DEFAULT_BROWSER: BrowserOptions = { corsOrigins: [], csrfPrevention: true, introspection: true };

export interface GuardOptions {
  readonly limits?: Partial<DocumentLimits>;
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
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const browser = { ...DEFAULT_BROWSER, ...options.browser };
  const persisted = { ...DEFAULT_PERSISTED, ...options.persisted };
  return {
    ...yogaLimitOptions(limits),
    // Yoga's built-in CORS reflects every origin; useCors allows only the listed ones.
    cors: false,
    plugins: [
      useCors(browser.corsOrigins),
      useWellFormedInput(),
      ...(browser.csrfPrevention ? [useCsrf()] : []),
      ...usePersisted(persisted),
      ...useLimits(limits),
      ...(browser.introspection ? [] : [useDisableIntrospection()]),
    ],
  };
}
