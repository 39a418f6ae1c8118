import type { LiveAccess } from '../live/hub.js';
import type { RequestScope } from '../request/scope.js';

/**
 * What every resolver gets: the HTTP request's scope (caller, upstream, loaders, domain), shared by the operations
 * of a batch, and the live topics for subscriptions. Its upstream reports failures as coded GraphQL errors
 * (`toGraphQLError` in errors.ts).
 */
export type Context = RequestScope & { readonly live: LiveAccess };
