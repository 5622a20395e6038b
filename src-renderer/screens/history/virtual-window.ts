export interface VirtualWindow {
  /** First row index to render. */
  start: number;
  /** One past the last row index to render. */
  end: number;
}

/**
 * The rows a fixed-row-height list must render for a scroll position: those
 * in view plus `overscan` on each side, never more, whatever the row count.
 */
export function visibleRows(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan = 6): VirtualWindow {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const inView = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, Math.min(count - 1, first) - overscan);
  const end = Math.min(count, first + inView + overscan);
  return { start, end: Math.max(start, end) };
}

/** Which pages of `pageSize` rows hold the rows of a window. */
export function pagesOf(window: VirtualWindow, pageSize: number): number[] {
  if (window.end <= window.start) return [];
  const pages: number[] = [];
  for (let page = Math.floor(window.start / pageSize); page <= Math.floor((window.end - 1) / pageSize); page += 1) pages.push(page);
  return pages;
}
