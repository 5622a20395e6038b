/**
 * Holds a dial request that arrives before the core is ready (the launch that
 * a callto: link itself started, or macOS `open-url` before `ready`), then
 * passes requests straight through. Only the newest waiting request is kept:
 * the user means the last link they clicked.
 */
export interface DialInbox {
  receive(uri: string): void;
  open(deliver: (uri: string) => void): void;
}

export function createDialInbox(): DialInbox {
  let deliver: ((uri: string) => void) | null = null;
  let waiting: string | null = null;
  return {
    receive(uri) {
      if (deliver) deliver(uri);
      else waiting = uri;
    },
    open(next) {
      deliver = next;
      if (waiting === null) return;
      const uri = waiting;
      waiting = null;
      next(uri);
    },
  };
}
