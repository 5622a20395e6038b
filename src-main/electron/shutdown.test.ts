import { afterEach, describe, expect, it, vi } from "vitest";
import { createShutdown } from "./shutdown";

function quitEvent() {
  const event = { prevented: 0, preventDefault: () => void event.prevented++ };
  return event;
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("createShutdown", () => {
  it("holds the quit until the core has closed, then quits once and lets that quit through", async () => {
    let finishClose!: () => void;
    const close = vi.fn(() => new Promise<void>((resolve) => (finishClose = resolve)));
    const quit = vi.fn();
    const shutdown = createShutdown(close, 5_000);

    const first = quitEvent();
    shutdown.onWillQuit(first, quit);
    expect(first.prevented).toBe(1);
    expect(shutdown.state).toBe("closing");

    const impatient = quitEvent();
    shutdown.onWillQuit(impatient, quit);
    expect(impatient.prevented).toBe(1);
    expect(close).toHaveBeenCalledTimes(1);
    expect(quit).not.toHaveBeenCalled();

    finishClose();
    await vi.waitFor(() => expect(quit).toHaveBeenCalledTimes(1));
    expect(shutdown.state).toBe("closed");

    const final = quitEvent();
    shutdown.onWillQuit(final, quit);
    expect(final.prevented).toBe(0);
  });

  it("quits anyway when the core does not close in time", async () => {
    vi.useFakeTimers();
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const quit = vi.fn();
    const shutdown = createShutdown(() => new Promise<void>(() => undefined), 5_000);
    shutdown.onWillQuit(quitEvent(), quit);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(quit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(quit).toHaveBeenCalledTimes(1);
  });

  it("quits when closing the core fails", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const quit = vi.fn();
    createShutdown(() => Promise.reject(new Error("disk gone")), 5_000).onWillQuit(quitEvent(), quit);
    await vi.waitFor(() => expect(quit).toHaveBeenCalledTimes(1));
  });
});
