import { parseXml } from './xml.js';

/** Openfire's error entity (`RESTExceptionMapper`, openfire-rest-api.md §4.3), in JSON or XML. */
export interface ErrorEntity {
  readonly exception: string | null;
  readonly message: string | null;
  readonly resource: string | null;
}

const field = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** Reads an error entity from a failed response, or null when the body is something else (a container page). */
export function readErrorEntity(contentType: string, text: string): ErrorEntity | null {
  let parsed: unknown;
  try {
    if (contentType.includes('json')) parsed = JSON.parse(text);
    else if (contentType.includes('xml') && text.includes('<error>')) parsed = parseXml(text);
    else return null;
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const o = parsed as Record<string, unknown>;
  const entity = { exception: field(o.exception), message: field(o.message), resource: field(o.resource) };
  return entity.exception === null && entity.message === null ? null : entity;
}
