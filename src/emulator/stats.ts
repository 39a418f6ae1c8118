import type { RouteKey } from '../upstream/routes.js';

/** Requests received under the API base path, by route template key (`unmatched` for unknown paths). */
export class Stats {
  private readonly counts = new Map<string, number>();
  private total = 0;

  count(route: RouteKey | null): void {
    const key = route ?? 'unmatched';
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.total++;
  }

  reset(): void {
    this.counts.clear();
    this.total = 0;
  }

  toJSON(): { total: number; routes: Record<string, number> } {
    return { total: this.total, routes: Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b))) };
  }
}
