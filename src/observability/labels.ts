/**
 * A label whose values come from callers (operation names) or from far away (error codes): each value is reduced to
 * `[A-Za-z0-9_]{1,64}`, and once `max` distinct values have been seen new ones count as `other`, so a client cannot
 * grow the metric without bound.
 */
export function boundedLabel(max: number, empty: string): (value: string | null | undefined) => string {
  const seen = new Set<string>();
  return (value) => {
    const label = (value ?? '').replace(/[^A-Za-z0-9_]/g, '_').slice(0, 64) || empty;
    if (seen.has(label)) return label;
    if (seen.size >= max) return 'other';
    seen.add(label);
    return label;
  };
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);

/** HTTP methods as a label: anything unusual is `other`. */
export const methodLabel = (method: string): string => (METHODS.has(method) ? method : 'other');
