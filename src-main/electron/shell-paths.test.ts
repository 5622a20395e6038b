import path from "node:path";
import { describe, expect, it } from "vitest";
import { shellPaths } from "./shell-paths";

const files = (entries: Record<string, string>) => (file: string) => {
  const text = entries[file];
  if (text === undefined) throw new Error(`ENOENT ${file}`);
  return text;
};

describe("the shell's files", () => {
  it("follow package.json's main from an app folder (a packaged app, `electron <folder>`)", () => {
    const app = path.join("/opt", "Caller Desktop", "resources", "app.asar");
    expect(shellPaths(app, files({ [path.join(app, "package.json")]: '{"main":"dist/main/electron-main.cjs"}' }))).toEqual({
      bundleDir: path.join(app, "dist", "main"),
      preload: path.join(app, "dist", "main", "preload.cjs"),
      rendererDir: path.join(app, "dist", "renderer"),
    });
  });

  it("are beside the bundle when Electron was given the bundle itself (its folder is the app path)", () => {
    const bundleDir = path.join("/src", "caller", "dist", "main");
    expect(shellPaths(bundleDir, files({}))).toEqual({
      bundleDir,
      preload: path.join(bundleDir, "preload.cjs"),
      rendererDir: path.join("/src", "caller", "dist", "renderer"),
    });
  });
});
