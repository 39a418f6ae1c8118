/**
 * System properties of a freshly installed Openfire with the REST API plugin (demo boot data). `null` values are
 * registered properties that only have a default: listed without value, 404 when fetched (§7.10).
 */
export interface PropertySettings {
  readonly domain: string;
  readonly secret: string;
  readonly httpAuth: 'secret' | 'basic';
}

export function defaultProperties(settings: PropertySettings): Array<[string, string | null]> {
  const entries: Array<[string, string | null]> = [
    ['admin.authorizedJIDs', `admin@${settings.domain}`],
    ['plugin.restapi.enabled', 'true'],
    ['plugin.restapi.httpAuth', settings.httpAuth],
    ['plugin.restapi.secret', settings.secret],
    ['plugin.restapi.allowedIPs', ''],
    ['xmpp.domain', settings.domain],
  ];
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
