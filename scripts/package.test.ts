import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { appIdentity, windowClass } from "../src-main/electron/app-identity";
import { linkSchemes, ourProgIds } from "../src-main/electron/windows-link-choice";

const config = readFileSync(new URL("../electron-builder.yml", import.meta.url), "utf8");
const packageJson = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as Record<string, unknown>;
const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), "utf8");

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
  });

  it("packs the staged app, whose better-sqlite3 is already Electron's, and no server package", () => {
    // scripts/electron-app.mjs writes dist/electron-app with only the shell's packages (scripts/electron-app.test.ts).
    expect(config).toMatch(/directories:\n(\s+.*\n)*\s+app: dist\/electron-app\n/);
    expect(config).toMatch(/npmRebuild: false/);
    expect(read("scripts/package.sh")).toMatch(/node scripts\/electron-app\.mjs\n(.*\n)*exec node_modules\/\.bin\/electron-builder/);
  });

  it("names the app as the shell does: appId, productName, desktopName, and the WM_CLASS Electron derives from it", () => {
    expect(config).toContain(`appId: ${appIdentity.appId}\n`);
    expect(config).toContain(`productName: ${appIdentity.productName}\n`);
    expect(packageJson.productName).toBe(appIdentity.productName);
    expect(packageJson.desktopName).toBe(appIdentity.desktopName);
    expect(config).toMatch(/syncDesktopName: true/);
    expect(config).toContain(`StartupWMClass: ${windowClass}\n`);
    expect(windowClass).toBe("com.example.CallerDesktop");
  });

  it("asks macOS for the microphone from a signed, hardened build", () => {
    expect(config).toMatch(/hardenedRuntime: true/);
    expect(config).toMatch(/NSMicrophoneUsageDescription: .+/);
    for (const key of ["entitlements", "entitlementsInherit"]) {
      const file = new RegExp(`\\n\\s+${key}: (\\S+)\\n`).exec(config)?.[1];
      expect(file, key).toBeDefined();
      const plist = read(file!);
      expect(plist).toMatch(/<key>com\.apple\.security\.device\.audio-input<\/key>\s*<true\/>/);
      expect(plist).toMatch(/<key>com\.apple\.security\.cs\.allow-jit<\/key>\s*<true\/>/);
    }
  });

  it("registers callto: and tel: for Windows' Default apps in the installer and removes them on uninstall", () => {
    const include = /\n\s+include: (\S+)\n/.exec(config)?.[1];
    expect(include).toBe("build/installer.nsh");
    const nsh = read(include!);
    const install = /!macro customInstall\n([\s\S]*?)!macroend/.exec(nsh)?.[1] ?? "";
    const uninstall = /!macro customUnInstall\n([\s\S]*?)!macroend/.exec(nsh)?.[1] ?? "";
    expect(install).toContain('WriteRegStr HKCU "Software\\RegisteredApplications" "Caller Desktop" "Software\\CallerDesktop\\Capabilities"');
    for (const scheme of linkSchemes) expect(install).toContain(`!insertmacro callerRegisterScheme "${scheme}"`);
    // The ProgIds the app checks UserChoice against are the ones the installer registers.
    expect(nsh).toContain('WriteRegStr HKCU "Software\\CallerDesktop\\Capabilities\\URLAssociations" "${SCHEME}" "CallerDesktop.${SCHEME}"');
    for (const scheme of linkSchemes) expect(ourProgIds[scheme]).toBe(`CallerDesktop.${scheme}`);
    expect(uninstall).toContain('DeleteRegValue HKCU "Software\\RegisteredApplications" "Caller Desktop"');
    expect(uninstall).toContain('DeleteRegKey HKCU "Software\\CallerDesktop"');
    for (const scheme of linkSchemes) expect(uninstall).toContain(`!insertmacro callerUnregisterScheme "${scheme}"`);
  });

  it("turns off RunAsNode and NODE_OPTIONS and checks the ASAR's integrity", () => {
    expect(config).toMatch(/runAsNode: false/);
    expect(config).toMatch(/enableNodeOptionsEnvironmentVariable: false/);
    expect(config).toMatch(/enableEmbeddedAsarIntegrityValidation: true/);
    expect(config).toMatch(/onlyLoadAppFromAsar: true/);
  });
});
