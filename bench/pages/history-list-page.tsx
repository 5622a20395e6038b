// The page bench/virtualizer-bench.ts loads: 5,000 history rows (the app's own HistoryRow, its CSS)
// in a fixed viewport, either through @tanstack/react-virtual as the history screen does, or all
// rendered. The bench reads window.benchResult.
import { useVirtualizer } from "@tanstack/react-virtual";
import { useRef } from "react";
import { flushSync } from "react-dom";
import { createRoot } from "react-dom/client";
import { I18nextProvider } from "react-i18next";
import type { HistoryCall } from "../../src-shared/api/contract";
import { TooltipProvider } from "../../src-renderer/components/ui/tooltip";
import { createI18n } from "../../src-renderer/i18n/i18n";
import { HistoryRow } from "../../src-renderer/screens/history/history-row";

const rowHeight = 56;
const mode = new URLSearchParams(location.search).get("mode") === "plain" ? "plain" : "virtual";
const count = Number(new URLSearchParams(location.search).get("rows") ?? 5000);
const t0 = Date.UTC(2026, 10, 1);
const calls: HistoryCall[] = Array.from({ length: count }, (_, i) => ({
  id: String(i + 1),
  direction: i % 4 === 0 ? "inbound" : "outbound",
  number: `+1201555${String(1000 + (i % 9000)).padStart(4, "0")}`,
  startedAt: t0 - i * 600_000,
  answeredAt: i % 3 === 0 ? null : t0 - i * 600_000 + 5_000,
  endedAt: t0 - i * 600_000 + 65_000,
  billedSeconds: i % 3 === 0 ? 0 : 60,
  disposition: i % 3 === 0 ? "no_answer" : "answered",
  costMicros: i % 3 === 0 ? 0 : 13_000,
  outcome: null,
  outcomeKey: i % 3 === 0 ? "no_answer" : "connected",
  notes: null,
  contactName: i % 2 === 0 ? `Contact ${i}` : null,
  contactId: i % 2 === 0 ? `c${i}` : null,
}));

function Row({ call }: { call: HistoryCall }) {
  return (
    <HistoryRow call={call} currency="USD" timeZone="UTC" country="US" recording={undefined} expanded={false} detailsId={`d${call.id}`} onToggle={() => undefined} onCallBack={() => undefined} />
  );
}

function Virtual() {
  const viewport = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count, getScrollElement: () => viewport.current, estimateSize: () => rowHeight, overscan: 6, initialRect: { width: 1000, height: 600 } });
  return (
    <div ref={viewport} id="viewport" className="history-table" style={{ height: 600, overflow: "auto" }}>
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {virtualizer.getVirtualItems().map((item) => (
          <div key={item.key} className="history-item" style={{ position: "absolute", top: 0, left: 0, right: 0, height: rowHeight, transform: `translateY(${item.start}px)` }}>
            <Row call={calls[item.index]!} />
          </div>
        ))}
      </div>
    </div>
  );
}

function Plain() {
  return (
    <div id="viewport" className="history-table" style={{ height: 600, overflow: "auto" }}>
      {calls.map((call) => (
        <div key={call.id} className="history-item" style={{ height: rowHeight }}>
          <Row call={call} />
        </div>
      ))}
    </div>
  );
}

const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

async function main() {
  const i18n = await createI18n("en");
  await nextFrame();
  const root = createRoot(document.getElementById("root")!);
  const started = performance.now();
  flushSync(() =>
    root.render(
      <I18nextProvider i18n={i18n}>
        <TooltipProvider>{mode === "plain" ? <Plain /> : <Virtual />}</TooltipProvider>
      </I18nextProvider>,
    ),
  );
  // Laid out and painted: the frame after the commit.
  await nextFrame();
  await nextFrame();
  const firstRender = performance.now() - started;
  const viewport = document.getElementById("viewport")!;
  // Scrolling: 6 rows a frame for 60 frames; each frame's time is the gap between animation frames.
  const frames: number[] = [];
  let last = await nextFrame();
  for (let i = 0; i < 60; i++) {
    viewport.scrollTop += rowHeight * 6;
    const now = await nextFrame();
    frames.push(now - last);
    last = now;
  }
  frames.sort((a, b) => a - b);
  const at = (p: number) => frames[Math.min(frames.length - 1, Math.floor(p * frames.length))]!;
  (window as unknown as { benchResult: unknown }).benchResult = { firstRender, frameMedian: at(0.5), frameP95: at(0.95), domNodes: document.getElementsByTagName("*").length };
}
void main();
