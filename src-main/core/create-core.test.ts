import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DialRequest } from "../../src-shared/api/contract";
import { createCore, type Core } from "./create-core";

let dir: string;
let core: Core;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "caller-core-"));
  core = await createCore({ dataDir: dir, serverUrl: null, shell: "node-host", version: "test" });
  await core.handlers.updateSettings({ defaultCountry: "JP" });
});
afterAll(async () => {
  await core.close();
  await rm(dir, { recursive: true, force: true });
});

function dial(uri: string): Promise<DialRequest> {
  return new Promise((resolve) => {
    const off = core.events.on("dialRequested", (request) => {
      off();
      resolve(request);
    });
    core.requestDial(uri, "link");
  });
}

describe("a link handed to the core", () => {
  it("reaches the dialer as E.164 in the user's country, and is taken once", async () => {
    expect(await dial("tel:03-1234-5678")).toEqual({ number: "+81312345678", source: "link", problem: null, extension: null });
    expect(await core.handlers.takeDialRequest({})).toMatchObject({ number: "+81312345678" });
    expect(await core.handlers.takeDialRequest({})).toBeNull();
  });

  it("keeps an extension for the user to ask for, since it cannot be dialed", async () => {
    expect(await dial("tel:03-1234-5678;ext=204")).toMatchObject({ number: "+81312345678", extension: "204" });
  });

  it.each([
    ["javascript:alert(1)", "not_a_dial_uri"],
    ["tel:110", "emergency"],
    ["callto:+81312345678\r\nX", "control_characters"],
  ])("refuses %j with a reason and no number", async (uri, problem) => {
    expect(await dial(uri)).toEqual({ number: "", source: "link", problem, extension: null });
  });
});
