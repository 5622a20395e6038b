/** Exhaustiveness guard for `switch` statements over unions. */
export function assertNever(value: never, what = "value"): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}

/** Fire-and-forget, written out: the promise's failure is reported, never lost. */
export function drop(promise: Promise<unknown>, onError: (error: unknown) => void = (e) => console.error(e)): void {
  promise.catch(onError);
}
