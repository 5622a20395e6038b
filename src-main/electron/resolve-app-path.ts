import path from "node:path";
import { isAppUrl } from "./app-url";

/**
 * The file under `rootDir` an app:// URL names, or null when it names none
 * safely: `..` in any spelling, encoded separators, backslashes, drive letters,
 * NUL, hidden files, directories (empty segments) and other hosts are refused.
 */
export function resolveAppPath(rootDir: string, url: string): string | null {
  if (!isAppUrl(url)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null;
  }
  if (pathname === "" || pathname === "/") pathname = "/index.html";
  if (!pathname.startsWith("/") || pathname.includes("\\") || pathname.includes("\0")) return null;

  // Split after decoding, so `..%2f` cannot hide a separator from the checks below.
  const segments = pathname.slice(1).split("/");
  if (segments.some((segment) => segment === "" || segment.startsWith(".") || segment.includes(":"))) return null;

  const root = path.resolve(rootDir);
  const resolved = path.resolve(root, ...segments);
  return isInside(root, resolved) ? resolved : null;
}

/** True when `candidate` is `root` itself's descendant (not `root`, not a sibling like `root-evil`). */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative !== "" && !path.isAbsolute(relative) && relative.split(path.sep)[0] !== "..";
}
