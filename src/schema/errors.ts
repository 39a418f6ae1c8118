import type { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { BudgetError } from '../request/upstream.js';
import type { UpstreamError, UpstreamErrorCode } from '../upstream/errors.js';

/**
 * The one mapping from upstream failures to GraphQL `extensions.code` (docs/graphql.md, Errors: one small set of
 * codes).
 */
export type GatewayErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'BAD_USER_INPUT'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_ERROR';

const codes: Record<UpstreamErrorCode, GatewayErrorCode> = {
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  BAD_REQUEST: 'BAD_USER_INPUT',
  UNAUTHORIZED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  TIMEOUT: 'UPSTREAM_TIMEOUT',
  PROTOCOL: 'UPSTREAM_ERROR',
  SERVER_ERROR: 'UPSTREAM_ERROR',
};

/** A client-facing error with its code (and Openfire's exception name when there is one). */
export function gatewayError(code: GatewayErrorCode, message: string, exception?: string | null): GraphQLError {
  return createGraphQLError(message, { extensions: exception ? { code, exception } : { code } });
}

export function fromUpstream(error: UpstreamError): GraphQLError {
  const message = error.upstreamMessage ?? error.message;
  return gatewayError(codes[error.code], message, error.exception);
}

/** What resolvers see of a failed upstream call or of the request's budget (`ScopeOptions.mapError`). */
export function toGraphQLError(error: UpstreamError | BudgetError): GraphQLError {
  if (!(error instanceof BudgetError)) return fromUpstream(error);
  return gatewayError(error.code === 'DEADLINE' ? 'UPSTREAM_TIMEOUT' : 'BAD_USER_INPUT', error.message);
}
