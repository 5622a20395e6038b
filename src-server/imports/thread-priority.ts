import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";

/**
 * The server's threads that no PBX request waits on, the import thread and the
 * writer thread, run at this nice value; the server's own thread keeps 0. Measured
 * in bench/import-bench with the kernel's per-thread schedstat: most of the server
 * thread's added delay while a 400,000-row tariff was imported was time spent
 * runnable, waiting for a core that one of those two held. Not lower: on a busy
 * machine a nice-19 writer would get too little of a core to keep call records current.
 */
export const backgroundThreadNice = 10;

/**
 * Lowers the nice value of the calling thread alone (Linux: a thread is its
 * own scheduling entity, `/proc/thread-self` names its id). Work that no
 * caller waits on, such as parsing a 400,000-row tariff, then yields a core
 * at once to the server's thread when an authorize arrives, instead of
 * sharing it by time slice. Returns whether it took effect: elsewhere the
 * thread keeps the process's priority, which is only slower, never wrong.
 */
export function lowerThisThreadPriority(nice: number): boolean {
  if (process.platform !== "linux") return false;
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, nice);
    return true;
  } catch {
    // No /proc (a container without it) or a priority the system refuses: the thread keeps its priority.
    return false;
  }
}
