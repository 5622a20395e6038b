/** Polls `probe` until it returns something other than undefined; for hooks, where expect.poll is not allowed. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 2_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
