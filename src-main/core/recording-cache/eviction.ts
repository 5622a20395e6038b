/** What the limit needs to know of a kept recording. */
export interface CacheEntrySize {
  id: string;
  sizeBytes: number;
  pinned: boolean;
  lastUsedAt: number;
}

export type EvictionPlan = { fits: true; evict: string[] } | { fits: false; pinnedBytes: number };

/**
 * Which unpinned recordings to drop, least recently used first, so that the
 * rest plus `incoming` (a new or re-pinned recording; null when only the
 * limit changed) fit in `limitBytes`. Pinned ones are never dropped: when they
 * alone leave no room, nothing fits.
 */
export function planEviction(entries: readonly CacheEntrySize[], limitBytes: number, incoming: { id: string; sizeBytes: number } | null): EvictionPlan {
  const others = entries.filter((e) => e.id !== incoming?.id);
  const incomingBytes = incoming?.sizeBytes ?? 0;
  const pinnedBytes = others.filter((e) => e.pinned).reduce((sum, e) => sum + e.sizeBytes, 0);
  if (pinnedBytes + incomingBytes > limitBytes) return { fits: false, pinnedBytes };
  let total = others.reduce((sum, e) => sum + e.sizeBytes, 0) + incomingBytes;
  const evict: string[] = [];
  const oldestFirst = others.filter((e) => !e.pinned).sort((a, b) => a.lastUsedAt - b.lastUsedAt || a.id.localeCompare(b.id));
  for (const entry of oldestFirst) {
    if (total <= limitBytes) break;
    evict.push(entry.id);
    total -= entry.sizeBytes;
  }
  return { fits: true, evict };
}
