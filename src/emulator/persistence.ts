import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Snapshot } from './store.js';

/**
 * `--data FILE`: the state is loaded at start and written atomically (temp file + rename) shortly after each change
 * and on shutdown, so a restart loses nothing.
 */
export class SnapshotFile {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly path: string,
    private readonly snapshot: () => Snapshot,
    private readonly delayMs = 25,
  ) {}

  read(): Snapshot | null {
    if (!existsSync(this.path)) return null;
    return JSON.parse(readFileSync(this.path, 'utf8')) as Snapshot;
  }

  schedule(): void {
    this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const temp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(this.snapshot()));
    renameSync(temp, this.path);
  }
}
