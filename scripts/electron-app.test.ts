import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { appIdentity } from "../src-main/electron/app-identity";
// @ts-expect-error: plain .mjs scripts without types
import * as electronApp from "./electron-app.mjs";
// @ts-expect-error: plain .mjs scripts without types
import * as abiCheck from "./check-electron-abi.mjs";

interface ElectronApp {
  bundleRequires(text: string): string[];
  dependencyClosure(root: string, names: string[]): string[];
  stageApp(options: { root: string; out?: string; withModules?: boolean }): { out: string; manifest: Record<string, unknown>; dependencies: string[] };
  electronAbi(root?: string): number;
}
interface AbiCheck {
  checkElectronBuild(options: { root?: string; out: string; binaryInstalled: boolean }): { status: string; line: string };
}
const { bundleRequires, dependencyClosure, stageApp, electronAbi } = electronApp as ElectronApp;
const { checkElectronBuild } = abiCheck as AbiCheck;

const root = join(__dirname, "..");
const scratch = mkdtempSync(join(tmpdir(), "caller-electron-app-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const serverOnly = ["fastify", "fastify-type-provider-zod", "pg", "sqlite3", "nodemailer", "asterisk-manager", "ws", "react", "react-dom", "jssip", "sip.js"];

describe("the Electron app folder (dist/electron-app)", () => {
  it("finds the npm packages a bundle requires, without built-ins, electron or relative files", () => {
    const text = 'require("knex"); require("node:fs"); require("path"); require("electron"); require("./x"); require("libphonenumber-js/max"); require("@scope/pkg/sub");';
    expect(bundleRequires(text)).toEqual(["@scope/pkg", "knex", "libphonenumber-js"]);
  });

  it("ships the shell's packages and better-sqlite3, and none of the server's", () => {
    const closure = dependencyClosure(root, ["better-sqlite3", "knex", "libphonenumber-js", "zod"]).map((dir) => relative(join(root, "node_modules"), dir));
    expect(closure).toEqual(expect.arrayContaining(["better-sqlite3", "knex", "zod", "libphonenumber-js", "bindings", "tarn"]));
    for (const name of serverOnly) expect(closure).not.toContain(name);
  });

  it("writes a package.json Electron reads as the app: name, productName, desktopName, main", () => {
    const checkout = join(scratch, "checkout");
    mkdirSync(join(checkout, "dist", "main"), { recursive: true });
    mkdirSync(join(checkout, "dist", "renderer"), { recursive: true });
    writeFileSync(join(checkout, "package.json"), readFileSync(join(root, "package.json")));
    writeFileSync(join(checkout, "dist", "main", "electron-main.cjs"), 'require("knex"); require("zod"); require("libphonenumber-js/max"); require("electron");');
    writeFileSync(join(checkout, "dist", "main", "electron-main.cjs.map"), "{}");
    writeFileSync(join(checkout, "dist", "main", "preload.cjs"), "");
    writeFileSync(join(checkout, "dist", "renderer", "index.html"), "<!doctype html>");
    symlinkSync(join(root, "node_modules"), join(checkout, "node_modules"), "dir");

    const { out, manifest } = stageApp({ root: checkout, withModules: false });
    expect(out).toBe(join(checkout, "dist", "electron-app"));
    expect(manifest).toMatchObject({ name: "caller-desktop", productName: appIdentity.productName, desktopName: appIdentity.desktopName, main: "dist/main/electron-main.cjs" });
    expect(Object.keys(manifest.dependencies as object).sort()).toEqual(["better-sqlite3", "knex", "libphonenumber-js", "zod"]);
    expect(JSON.parse(readFileSync(join(out, "package.json"), "utf8"))).toEqual(manifest);
    expect(() => readFileSync(join(out, "dist", "main", "electron-main.cjs.map"))).toThrow();
  });
});

describe("the ABI check CI runs", () => {
  const out = (name: string, abi: number | null) => {
    const dir = join(scratch, name);
    const release = join(dir, "node_modules", "better-sqlite3", "build", "Release");
    mkdirSync(release, { recursive: true });
    if (abi !== null) writeFileSync(join(release, "better_sqlite3.node"), Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0]), Buffer.from(`\0node_register_module_v${abi}\0`)]));
    return dir;
  };

  it("says it skipped where there is neither an Electron binary nor an Electron build", () => {
    const verdict = checkElectronBuild({ root, out: out("none", null), binaryInstalled: false });
    expect(verdict.status).toBe("skipped");
    expect(verdict.line).toMatch(/^skipped: no Electron build here/);
  });

  it("fails when the app's better-sqlite3 is built for Node's ABI instead of Electron's", () => {
    const verdict = checkElectronBuild({ root, out: out("node-build", Number(process.versions.modules)), binaryInstalled: false });
    expect(verdict.status).toBe("mismatch");
    expect(verdict.line).toContain(`Electron needs ${electronAbi(root)}`);
  });

  it("passes a build for the ABI in node_modules/electron/abi_version", () => {
    expect(checkElectronBuild({ root, out: out("electron-build", electronAbi(root)), binaryInstalled: false }).status).toBe("ok");
  });

  it("fails where Electron is installed but its build is missing", () => {
    expect(checkElectronBuild({ root, out: out("missing", null), binaryInstalled: true }).status).toBe("missing");
  });
});
