import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks a second: 100 on every Linux this runs on (getconf CLK_TCK). */
const ticksPerSecond = 100;

interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime, in ticks. */
  ticks: number;
}

function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses: fields start after the last ")".
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { pid, ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

function allStats(): ProcStat[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((stat): stat is ProcStat => stat !== null);
}

/** The pids and their descendants (Kamailio's and PostgreSQL's workers are processes). */
function tree(roots: readonly number[], stats: readonly ProcStat[]): Map<number, number> {
  const children = new Map<number, number[]>();
  for (const stat of stats) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat.pid]);
  const ticks = new Map(stats.map((stat) => [stat.pid, stat.ticks]));
  const out = new Map<number, number>();
  const queue = [...roots];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    if (out.has(pid) || !ticks.has(pid)) continue;
    out.set(pid, ticks.get(pid)!);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

export type Components = Record<string, readonly number[]>;
export type CpuSnapshot = Record<string, Map<number, number>>;

export function snapshotCpu(components: Components): CpuSnapshot {
  const stats = allStats();
  return Object.fromEntries(Object.entries(components).map(([name, roots]) => [name, tree(roots, stats)]));
}

/**
 * CPU ms each component used between two snapshots. A process born in between counts
 * whole; one that died in between is lost (none of the measured ones should).
 */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after).map(([name, pids]) => {
      let ticks = 0;
      for (const [pid, now] of pids) ticks += now - (before[name]?.get(pid) ?? 0);
      return [name, (ticks * 1000) / ticksPerSecond];
    }),
  );
}

/** The first line of a pid file, as a number. */
export function pidFrom(file: string): number {
  const pid = Number(readFileSync(file, "utf8").split("\n")[0]?.trim());
  if (!Number.isSafeInteger(pid) || pid <= 1) throw new Error(`no pid in ${file}`);
  return pid;
}
