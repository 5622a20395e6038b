import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export interface ChildRun {
  child: ChildProcess;
  /** Everything it printed on stdout so far. */
  output(): string;
  /** Resolves with the first match of `pattern` in its stdout (rejects after `timeoutMs` or if it exits first). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** SIGKILL, as a crash: resolves once it is gone. */
  kill9(): Promise<void>;
  exited: Promise<number | null>;
}

export interface ChildBundle {
  run(args: readonly string[]): ChildRun;
  remove(): Promise<void>;
}

/** A test's child process: `entry` (TypeScript) bundled by esbuild as the app is, run by plain node. */
export async function bundleChild(entry: URL): Promise<ChildBundle> {
  const dir = await mkdtemp(join(tmpdir(), "caller-child-"));
  await symlink(fileURLToPath(new URL("../../../../node_modules", import.meta.url)), join(dir, "node_modules"), "dir");
  const script = join(dir, "child.mjs");
  await build({ entryPoints: [fileURLToPath(entry)], bundle: true, platform: "node", format: "esm", packages: "external", outfile: script, logLevel: "error" });
  const children: ChildProcess[] = [];
  return {
    run(args) {
      const child = spawn(process.execPath, [script, ...args], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
      children.push(child);
      let out = "";
      let err = "";
      child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
      child.stderr?.on("data", (chunk: Buffer) => (err += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      return {
        child,
        output: () => out,
        exited,
        waitFor(pattern, timeoutMs = 15_000) {
          return new Promise((resolve, reject) => {
            const check = () => {
              const match = pattern.exec(out);
              if (match === null) return;
              cleanup();
              resolve(match);
            };
            const timer = setTimeout(() => {
              cleanup();
              reject(new Error(`child: no ${pattern} within ${timeoutMs} ms; stdout: ${out.slice(-500)} stderr: ${err.slice(-2000)}`));
            }, timeoutMs);
            const gone = (code: number | null) => {
              cleanup();
              reject(new Error(`child exited (${code}) before ${pattern}; stderr: ${err.slice(-2000)}`));
            };
            const cleanup = () => {
              clearTimeout(timer);
              child.stdout?.off("data", check);
              child.off("exit", gone);
            };
            child.stdout?.on("data", check);
            child.once("exit", gone);
            check();
          });
        },
        async kill9() {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
          await exited;
        },
      };
    },
    async remove() {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await rm(dir, { recursive: true, force: true });
    },
  };
}
