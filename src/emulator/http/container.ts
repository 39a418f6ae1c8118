import { parseAccept } from './negotiate.js';

/**
 * Bodies of responses without an entity (401/403/404/405/406/415/JAXB 400/503 and unmapped 500s): Jetty's error
 * handler inside Openfire's PluginServlet renders them (openfire-rest-api.md §4.6). HTML by default, JSON or plain text
 * on request.
 */
const reasons: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  500: 'Server Error',
  503: 'Service Unavailable',
};

export interface ContainerPage {
  readonly contentType: string;
  readonly body: string;
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function containerPage(
  status: number,
  uri: string,
  accept: string | undefined,
  message?: string,
): ContainerPage {
  const reason = reasons[status] ?? 'Error';
  const text = message ?? reason;
  const wants = parseAccept(accept).filter((r) => r.q > 0);
  const preferred = [...wants].sort((a, b) => b.q - a.q)[0];
  if (preferred && preferred.type === 'application' && preferred.subtype === 'json') {
    return {
      contentType: 'application/json',
      body: JSON.stringify({ servlet: 'PluginServlet', message: text, url: uri, status: String(status) }),
    };
  }
  if (preferred && preferred.type === 'text' && preferred.subtype === 'plain') {
    return {
      contentType: 'text/plain;charset=utf-8',
      body: `HTTP ERROR ${status} ${text}\nURI: ${uri}\nSTATUS: ${status}\nMESSAGE: ${text}\nSERVLET: PluginServlet\n`,
    };
  }
  return {
    contentType: 'text/html;charset=iso-8859-1',
    body:
      `<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html;charset=ISO-8859-1"/>\n` +
      `<title>Error ${status} ${escapeHtml(text)}</title>\n</head>\n<body>\n<h2>HTTP ERROR ${status} ${escapeHtml(text)}</h2>\n` +
      `<table>\n<tr><th>URI:</th><td>${escapeHtml(uri)}</td></tr>\n<tr><th>STATUS:</th><td>${status}</td></tr>\n` +
      `<tr><th>MESSAGE:</th><td>${escapeHtml(text)}</td></tr>\n<tr><th>SERVLET:</th><td>PluginServlet</td></tr>\n</table>\n\n</body>\n</html>\n`,
  };
}
