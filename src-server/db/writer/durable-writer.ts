import type { Knex } from "knex";
import { GroupCommitter } from "./group-commit";
import type { WriteContext } from "./write-context";
import { writeOps, type WriteInput, type WriteOpName, type WriteResult } from "./write-ops";

/**
 * The server's durable writes that arrive in bursts (call records, CDRs,
 * charges): resolved only once committed, and committed together, one fsync
 * for all that arrived while the previous commit was under way.
 */
export interface DurableWriter {
  run<K extends WriteOpName>(name: K, input: WriteInput<K>): Promise<WriteResult<K>>;
  /** Resolves when everything queued so far is committed or failed. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** On the caller's own connection and thread: PostgreSQL (its driver does not block), tests, and SQLite without a worker. */
export function inProcessWriter(db: Knex, ctx: WriteContext): DurableWriter {
  const committer = new GroupCommitter(db, writeOps, ctx);
  return {
    run: <K extends WriteOpName>(name: K, input: WriteInput<K>) => committer.run(name, input) as Promise<WriteResult<K>>,
    idle: () => committer.idle(),
    close: () => committer.idle(),
  };
}
