import { expect } from 'vitest';
import { UpstreamError, type UpstreamErrorCode } from '../../../src/upstream/errors.js';

export interface ExpectedError {
  readonly code: UpstreamErrorCode;
  readonly status: number;
  /** Openfire's `exception`; `null` for answers without an error entity (container pages, Jackson's 400s). */
  readonly exception: string | null;
  /** Checked only when given. */
  readonly resource?: string;
}

/** Awaits a call that must fail and checks how the client classified Openfire's answer. */
export async function rejects(call: Promise<unknown>, expected: ExpectedError): Promise<void> {
  const error = await call.then(
    (value: unknown) => ({ resolved: value }),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  const { code, status, exception, resource } = error as UpstreamError;
  expect({ code, status, exception, ...(expected.resource !== undefined && { resource }) }).toEqual(expected);
}

const expecting =
  (code: UpstreamErrorCode, status: number) =>
  (exception: string | null, resource?: string): ExpectedError => ({
    code,
    status,
    exception,
    ...(resource !== undefined && { resource }),
  });

export const badRequest = expecting('BAD_REQUEST', 400);
export const unauthorized = expecting('UNAUTHORIZED', 401);
export const forbidden = expecting('FORBIDDEN', 403);
export const notFound = expecting('NOT_FOUND', 404);
export const conflict = expecting('CONFLICT', 409);
/** Mapped 500s carry an exception; unmapped ones (NPEs, invalid JIDs) are a bare container page (`null`). */
export const serverError = expecting('SERVER_ERROR', 500);

/** Matches a field of the canonical model that may be null. */
export const nullable = (type: unknown): unknown => expect.toBeOneOf([expect.any(type), null]);

/** Shape-only check for lists whose content only live traffic creates (a real server). */
export function expectEach(list: readonly unknown[], shape: Record<string, unknown>): void {
  expect(Array.isArray(list)).toBe(true);
  for (const item of list) expect(item).toEqual(shape);
}
