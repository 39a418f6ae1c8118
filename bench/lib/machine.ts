import { arch, cpus, loadavg, platform, totalmem } from 'node:os';

/** The machine a run happened on, for the header of the results (CPU model and count come from /proc/cpuinfo). */
export function machine(): string {
  const cpu = cpus();
  const ram = Math.round(totalmem() / 2 ** 30);
  const load = loadavg()[0]?.toFixed(2) ?? 'unknown';
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${ram} GiB RAM, Node ${process.version} (${platform()} ${arch()}); load average ${load} at start`;
}
