import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveAppFile } from "./serve-app-file";

const csp = "default-src 'self'";
let base: string;
let rootDir: string;

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), "caller-app-protocol-"));
  rootDir = path.join(base, "renderer");
  await mkdir(path.join(rootDir, "assets"), { recursive: true });
  await writeFile(path.join(rootDir, "index.html"), "<!doctype html><title>Caller</title>");
  await writeFile(path.join(rootDir, "assets", "index.js"), "console.log('hi')");
  await writeFile(path.join(base, "secret.txt"), "TOP SECRET");
  await mkdir(path.join(base, "renderer-evil"));
  await writeFile(path.join(base, "renderer-evil", "x.js"), "TOP SECRET");
  await symlink(path.join(base, "secret.txt"), path.join(rootDir, "assets", "link.txt"));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const get = (url: string, method = "GET") => serveAppFile(new Request(url, { method }), { rootDir, csp });

describe("serveAppFile", () => {
  it("serves index.html for the root with our CSP and no sniffing", async () => {
    const response = await get("app://caller/");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("content-security-policy")).toBe(csp);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await response.text()).toContain("<title>Caller</title>");
  });

  it("serves scripts as JavaScript", async () => {
    const response = await get("app://caller/assets/index.js");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await response.text()).toBe("console.log('hi')");
  });

  it.each([
    "app://caller/../secret.txt",
    "app://caller/%2e%2e/secret.txt",
    "app://caller/..%2fsecret.txt",
    "app://caller/%2e%2e%2f..%2frenderer-evil%2fx.js",
    "app://caller/%2Fetc%2Fpasswd",
    "app://caller/assets/link.txt",
    "app://caller/assets",
    "app://caller/missing.js",
    "app://evil/index.html",
  ])("answers %s with a bare 404 that leaks nothing", async (url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-security-policy")).toBe(csp);
    expect(await response.text()).toBe("Not found");
  });

  it("refuses methods other than GET and HEAD", async () => {
    expect((await get("app://caller/index.html", "POST")).status).toBe(405);
    const head = await get("app://caller/index.html", "HEAD");
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
  });
});
