// Module hooks for hold-core.mjs: the core's chunk (host-chunks/start-core-*.mjs) waits for the gate file.
import { access } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";

let gate = "";

export function initialize(data) {
  gate = data.gate;
}

export async function load(url, context, nextLoad) {
  if (/\/host-chunks\/start-core-[^/]*\.mjs$/.test(url)) {
    for (;;) {
      try {
        await access(gate);
        break;
      } catch {
        await sleep(50);
      }
    }
  }
  return nextLoad(url, context);
}
