import type { ByteRange } from "./recording-storage";

/**
 * One range of an HTTP Range header against a file of `size` bytes:
 * undefined when there is no header (the whole file), null when it cannot be
 * served (416). Several ranges are served as the first one alone.
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange | undefined | null {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)(,.*)?$/.exec(header.trim());
  if (match === null || size === 0) return null;
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return null;
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0) return null;
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || end < start) return null;
  return { start, end };
}
