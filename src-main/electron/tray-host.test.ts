import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDbusBoolean, statusNotifierHostPresent, type RunCommand } from "./tray-host";

describe("whether a Linux desktop shows tray icons", () => {
  let bus: { address: string; pid: number } | null = null;
  const savedAddress = process.env.DBUS_SESSION_BUS_ADDRESS;

  beforeAll(() => {
    // A session bus of our own, with no StatusNotifierWatcher on it (a GNOME without the AppIndicator extension).
    const [address, pid] = execFileSync("dbus-daemon", ["--session", "--print-address=1", "--print-pid=1", "--fork"]).toString().trim().split("\n");
    bus = { address: address ?? "", pid: Number(pid) };
    process.env.DBUS_SESSION_BUS_ADDRESS = bus.address;
  });
  afterAll(() => {
    if (bus) process.kill(bus.pid);
    if (savedAddress === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
    else process.env.DBUS_SESSION_BUS_ADDRESS = savedAddress;
  });

  it("says no on a real session bus without a StatusNotifierWatcher", async () => {
    await expect(statusNotifierHostPresent()).resolves.toBe(false);
  });

  it("says no where there is no session bus to ask", async () => {
    process.env.DBUS_SESSION_BUS_ADDRESS = "unix:path=/nonexistent/bus";
    try {
      await expect(statusNotifierHostPresent()).resolves.toBe(false);
    } finally {
      process.env.DBUS_SESSION_BUS_ADDRESS = bus?.address;
    }
  });

  it("says yes only when the watcher is there and reports a host", async () => {
    const answers = (owned: string, host: string): RunCommand => (_file, args) => Promise.resolve(args.includes("org.freedesktop.DBus.NameHasOwner") ? owned : host);
    await expect(statusNotifierHostPresent(answers("   boolean true\n", "   variant       boolean true\n"))).resolves.toBe(true);
    await expect(statusNotifierHostPresent(answers("   boolean true\n", "   variant       boolean false\n"))).resolves.toBe(false);
    await expect(statusNotifierHostPresent(answers("   boolean false\n", "   variant       boolean true\n"))).resolves.toBe(false);
  });

  it("reads dbus-send's literal booleans", () => {
    expect(parseDbusBoolean("   boolean true\n")).toBe(true);
    expect(parseDbusBoolean("   variant       boolean false\n")).toBe(false);
    expect(parseDbusBoolean("Error org.freedesktop.DBus.Error.ServiceUnknown")).toBeNull();
  });
});

