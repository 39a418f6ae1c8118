/**
 * Dates as the plugin writes them: JSON epoch milliseconds (Jackson), XML `xs:dateTime` in the server JVM's
 * default time zone with milliseconds, no fraction when they are 0 and `Z` for UTC (openfire-rest-api.md §4.4, §4.5).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export function xsDateTime(epochMs: number, timeZone: string): string {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  const millis = ((epochMs % 1000) + 1000) % 1000;
  const localAsUtc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const offsetMinutes = Math.round((localAsUtc - epochMs) / 60_000);
  const zone =
    offsetMinutes === 0
      ? 'Z'
      : `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
  const fraction = millis === 0 ? '' : `.${pad(millis, 3)}`;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${fraction}${zone}`;
}

/** Accepts ISO-8601 strings (what JAXB reads and Jackson accepts) and returns epoch ms, or null when unparsable. */
export function parseIsoDate(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim())) return null;
  const value = Date.parse(text.trim());
  return Number.isNaN(value) ? null : value;
}
