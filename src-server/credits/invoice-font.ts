import { readFile } from "node:fs/promises";
import { CallerError } from "../../src-shared/errors";

/** A font file and the face inside it (a .ttc collection holds several). */
export interface FontFace {
  path: string;
  postscriptName: string;
}

/** Invoices carry Japanese, so the PDF embeds (a subset of) a CJK font; its Latin glyphs serve English too. */
export interface InvoiceFontFiles {
  regular: FontFace;
  bold: FontFace;
}

/** Debian's fonts-noto-cjk (scripts/setup.sh installs it). */
export const debianNotoCjk: InvoiceFontFiles = {
  regular: { path: "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", postscriptName: "NotoSansCJKjp-Regular" },
  bold: { path: "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", postscriptName: "NotoSansCJKjp-Bold" },
};

export interface LoadedFont {
  data: Buffer;
  postscriptName: string;
}

export interface InvoiceFonts {
  regular: LoadedFont;
  bold: LoadedFont;
}

/**
 * Reads the font files once, on first use (about 40 MB, so not at start-up
 * for a server that may never print an invoice). A missing file is the
 * server's fault, said plainly.
 */
export function invoiceFontLoader(files: InvoiceFontFiles): () => Promise<InvoiceFonts> {
  let loading: Promise<InvoiceFonts> | null = null;
  const load = async (face: FontFace): Promise<LoadedFont> => {
    try {
      return { data: await readFile(face.path), postscriptName: face.postscriptName };
    } catch (error) {
      throw new CallerError("internal", `The invoice font ${face.path} cannot be read (install fonts-noto-cjk): ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  return () => {
    if (loading === null) {
      const started = Promise.all([load(files.regular), load(files.bold)]).then(([regular, bold]) => ({ regular, bold }));
      // A failed read is tried again next time (the font may be installed meanwhile).
      started.catch(() => {
        loading = null;
      });
      loading = started;
    }
    return loading;
  };
}
