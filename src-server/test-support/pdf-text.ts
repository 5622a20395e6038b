import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

/** A PDF's text, page by page, as a reader (copy and paste, a screen reader) gets it back. */
export async function pdfText(data: Uint8Array): Promise<{ pages: string[]; title: string | null }> {
  const doc = await getDocument({ data: new Uint8Array(data), useSystemFonts: false, isEvalSupported: false }).promise;
  try {
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n += 1) {
      const content = await (await doc.getPage(n)).getTextContent();
      pages.push(content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : "") : "")).join(""));
    }
    const { info } = await doc.getMetadata();
    const title = typeof info === "object" && info !== null && "Title" in info && typeof info.Title === "string" ? info.Title : null;
    return { pages, title };
  } finally {
    await doc.destroy();
  }
}

interface NodeCanvas {
  canvas: { toBuffer(type: "image/png"): Buffer };
  context: unknown;
}

/** A PDF page drawn to a PNG (pdf.js with its Node canvas), to look at what a reader gets. */
export async function pdfPagePng(data: Uint8Array, pageNumber = 1, scale = 1.5): Promise<Buffer> {
  const doc = await getDocument({ data: new Uint8Array(data), isEvalSupported: false }).promise;
  try {
    const page = await doc.getPage(pageNumber);
    const viewport = page.getViewport({ scale });
    const factory = doc.canvasFactory as { create(width: number, height: number): NodeCanvas };
    const { canvas, context } = factory.create(Math.ceil(viewport.width), Math.ceil(viewport.height));
    // pdf.js's types name the DOM canvas; in Node its own factory's canvas stands in for it.
    const params = { canvasContext: context, canvas, viewport, background: "#ffffff" } as unknown as Parameters<typeof page.render>[0];
    await page.render(params).promise;
    return canvas.toBuffer("image/png");
  } finally {
    await doc.destroy();
  }
}
