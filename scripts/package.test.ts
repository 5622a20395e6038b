import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const config = readFileSync(new URL("../electron-builder.yml", import.meta.url), "utf8");

describe("packaging", () => {
  it("says plainly that installers cannot be built without a local Electron binary, and fails", () => {
    const result = spawnSync("bash", ["scripts/package.sh"], { encoding: "utf8", env: { ...process.env, CALLER_ELECTRON_DIST: "/nonexistent/electron" } });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/cannot build installers: no Electron \d+\.\d+\.\d+ binary/);
  });

  it("registers callto: and tel: on every platform and builds the promised targets", () => {
    expect(config).toMatch(/protocols:\n\s+- name: .+\n\s+schemes: \[callto, tel\]/);
    expect(config).toMatch(/linux:\n\s+target: \[AppImage, deb\]/);
    expect(config).toContain('MimeType: "x-scheme-handler/callto;x-scheme-handler/tel;"');
    expect(config).toMatch(/mac:\n\s+target: dmg/);
    expect(config).toMatch(/win:\n\s+target: nsis/);
    expect(config).toMatch(/npmRebuild: true/);
  });

  it("turns off RunAsNode and NODE_OPTIONS and checks the ASAR's integrity", () => {
    expect(config).toMatch(/runAsNode: false/);
    expect(config).toMatch(/enableNodeOptionsEnvironmentVariable: false/);
    expect(config).toMatch(/enableEmbeddedAsarIntegrityValidation: true/);
    expect(config).toMatch(/onlyLoadAppFromAsar: true/);
  });
});
