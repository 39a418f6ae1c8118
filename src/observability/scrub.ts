const REDACTED = '[REDACTED]';

/**
 * Credentials in free text (error messages, stacks, whole log lines): query-style `secret=…`, header-style
 * `Authorization: …`, HTTP `Basic …`/`Bearer …` tokens and JSON-style `"password":"…"`. Values stop at quotes and
 * backslashes, so a JSON line stays valid JSON after scrubbing.
 */
const PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /(\\?"(?:authorization|cookie|secret|password|passwd|token)\\?"\s*:\s*\\?")(?!\[REDACTED\])[^"\\]*/gi,
    `$1${REDACTED}`,
  ],
  [/\b(secret|password|passwd|pwd|token|api[_-]?key)=(?!\[REDACTED\])[^&\s"\\;,]+/gi, `$1=${REDACTED}`],
  [
    /\b(authorization|cookie|x-api-key)(\s*[:=]\s*)(?:(?:Basic|Bearer)\s+)?(?!\[REDACTED\])[^\s"\\,;]+/gi,
    `$1$2${REDACTED}`,
  ],
  [/\b(Basic|Bearer)\s+(?!\[REDACTED\])[A-Za-z0-9._~+/-]+=*/g, `$1 ${REDACTED}`],
];

/** Whether any pattern could match: most lines have none of these words, and one test is cheaper than four replaces. */
const SUSPECT = /secret|passw|pwd|token|api[_-]?key|authorization|cookie|Basic|Bearer/i;

/** The text with every credential-looking value replaced by `[REDACTED]`. */
export function scrub(text: string): string {
  if (!SUSPECT.test(text)) return text;
  let result = text;
  for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
  return result;
}
