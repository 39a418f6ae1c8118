import type { YogaLogger } from 'graphql-yoga';
import type { Logger } from './logger.js';

/** Yoga's own messages (masked errors above all) through the gateway's logger rather than the console. */
export function yogaLogger(logger: Logger): YogaLogger {
  const child = logger.child({ component: 'graphql' });
  const write =
    (level: 'trace' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]): void => {
      if (!child.isLevelEnabled(level)) return;
      const [first, ...rest] = args;
      if (first instanceof Error) child[level]({ err: first }, first.message);
      else child[level](rest.length > 0 ? { args: rest } : {}, String(first));
    };
  // Yoga's debug lines trace every request's phases: trace level here, so LOG_LEVEL=debug stays readable.
  return { debug: write('trace'), info: write('info'), warn: write('warn'), error: write('error') };
}
