import { ContainerError } from '../errors.js';
import type { EmuRequest } from './types.js';

/** `@QueryParam int/long`: a value that does not parse is a 404 (JAX-RS rule, openfire-rest-api.md §4.7). */
export function intQuery(req: EmuRequest, name: string, fallback: number): number {
  const raw = req.query.get(name);
  if (raw === null) return fallback;
  if (!/^[+-]?\d+$/.test(raw.trim())) throw new ContainerError(404);
  return Number.parseInt(raw, 10);
}

/**
 * `@QueryParam boolean`: `Boolean.valueOf` semantics, anything but case-insensitive `true` is false
 * (openfire-rest-api.md §4.7).
 */
export function boolQuery(req: EmuRequest, name: string, fallback = false): boolean {
  const raw = req.query.get(name);
  return raw === null ? fallback : raw.toLowerCase() === 'true';
}

/** `@QueryParam @DefaultValue` for strings. */
export function stringQuery(req: EmuRequest, name: string, fallback: string): string {
  return req.query.get(name) ?? fallback;
}
