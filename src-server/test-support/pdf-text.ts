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
