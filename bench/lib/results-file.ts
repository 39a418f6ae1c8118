import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const RESULTS_FILE = fileURLToPath(new URL('../RESULTS.md', import.meta.url));

const START = '<!-- npm run bench: generated from here -->';
const END = '<!-- npm run bench: generated up to here -->';

/**
 * Puts a report into bench/RESULTS.md between the generated-section markers, so text written by hand around them
 * (profile summaries, explanations) survives the next `--write`; a missing file is created.
 */
export function writeResults(report: string): void {
  const block = `${START}\n${report.trimEnd()}\n${END}`;
  const current = existsSync(RESULTS_FILE) ? readFileSync(RESULTS_FILE, 'utf8') : '';
  const from = current.indexOf(START);
  const to = current.indexOf(END);
  const next =
    from >= 0 && to > from
      ? current.slice(0, from) + block + current.slice(to + END.length)
      : `# Benchmark results\n\nWritten by \`npm run bench -- --write\`; see docs/benchmarks.md.\n\n${block}\n${current ? `\n${current}` : ''}`;
  writeFileSync(RESULTS_FILE, next);
}
