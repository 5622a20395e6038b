import type { PgLink } from "../db/pg-link";

/** Who runs a scheduled job when several servers share one database. */
export interface JobLock {
  /** Runs `fn` on the one server that runs `name` and returns its result; null on every other server. */
  runOnce<T>(name: string, fn: () => Promise<T>): Promise<T | null>;
}

/** One server per database (SQLite): every job runs here. */
export const unsharedJobs: JobLock = {
  runOnce: (_name, fn) => fn(),
};

/**
 * PostgreSQL: a job runs on the server holding its session advisory lock. The
 * first server to ask keeps it while its link lives; when that server dies the
 * lock is free and the next server to ask takes the job over.
 */
export function advisoryJobLock(link: PgLink): JobLock {
  return {
    async runOnce(name, fn) {
      return (await link.holds(`job:${name}`)) ? fn() : null;
    },
  };
}
