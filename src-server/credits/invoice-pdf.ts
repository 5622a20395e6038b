import PDFDocument from "pdfkit";
import type { BillingDetails } from "../../src-shared/server-api/credits";
import type { InvoiceFonts } from "./invoice-font";
import { invoiceWords } from "./invoice-words";

export interface InvoiceContent {
  language: "ja" | "en";
  number: string;
  issuedAt: number;
  /** The company's zone: the issue date is its calendar day. */
  timeZone: string;
  status: "invoiced" | "paid";
  amountMicros: number;
  /** Credit is priced and bought in US dollars. */
  currency: string;
  companyName: string;
  /** As they were at the purchase: later edits do not rewrite an issued invoice. */
  billTo: BillingDetails | null;
  boughtBy: string | null;
}

const intlLocale = { ja: "ja-JP", en: "en-US" } as const;

/** Money on an invoice: always exactly two decimals. */
export function invoiceMoney(micros: number, currency: string, language: "ja" | "en"): string {
  return new Intl.NumberFormat(intlLocale[language], { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(micros / 1_000_000);
}

const page = { margin: 56, width: 595.28 };
const inner = page.width - 2 * page.margin;

/** One purchase's invoice as an A4 PDF with the CJK font embedded (subset), so Japanese text reads and copies back. */
export function renderInvoicePdf(content: InvoiceContent, fonts: InvoiceFonts): Promise<Buffer> {
  const w = invoiceWords[content.language];
  const issued = new Date(content.issuedAt);
  const doc = new PDFDocument({
    size: "A4",
    margin: page.margin,
    lang: content.language,
    info: { Title: `${w.title} ${content.number}`, Author: content.companyName, CreationDate: issued, ModDate: issued },
  });
  doc.registerFont("regular", fonts.regular.data, fonts.regular.postscriptName);
  doc.registerFont("bold", fonts.bold.data, fonts.bold.postscriptName);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  const date = new Intl.DateTimeFormat(intlLocale[content.language], { dateStyle: "long", timeZone: content.timeZone }).format(issued);
  const amount = invoiceMoney(content.amountMicros, content.currency, content.language);
  const left = page.margin;

  doc.font("bold").fontSize(24).text(w.title, left, page.margin);
  doc.moveDown(0.8);
  const facts: [string, string][] = [
    [w.number, content.number],
    [w.issued, date],
    [w.status, content.status === "paid" ? w.paid : w.awaitingPayment],
    [w.account, content.companyName],
  ];
  if (content.boughtBy !== null) facts.push([w.boughtBy, content.boughtBy]);
  for (const [label, value] of facts) {
    const y = doc.y;
    doc.font("regular").fontSize(10).fillColor("#555555").text(label, left, y, { width: 120 });
    doc.fillColor("#000000").text(value, left + 130, y, { width: inner - 130 });
    doc.moveDown(0.3);
  }

  doc.moveDown(1.2);
  doc.font("bold").fontSize(12).text(w.billTo, left);
  doc.moveDown(0.3);
  doc.font("regular").fontSize(10);
  if (content.billTo === null) {
    doc.text(w.noBillingDetails, left);
  } else {
    const b = content.billTo;
    const lines = [b.companyName, b.addressLine1, b.addressLine2, [b.postalCode, b.city].filter((x) => x !== "").join(" "), b.country, `${w.email}: ${b.email}`];
    if (b.taxId !== "") lines.push(`${w.taxId}: ${b.taxId}`);
    for (const line of lines) if (line !== "") doc.text(line, left);
  }

  doc.moveDown(2);
  const tableTop = doc.y;
  doc.rect(left, tableTop, inner, 22).fill("#eef1f5");
  doc.fillColor("#000000").font("bold").fontSize(10);
  doc.text(w.description, left + 8, tableTop + 6, { width: inner - 150 });
  doc.text(w.amount, left + inner - 140, tableTop + 6, { width: 132, align: "right" });
  const rowTop = tableTop + 30;
  doc.font("regular").text(w.item, left + 8, rowTop, { width: inner - 150 });
  doc.text(amount, left + inner - 140, rowTop, { width: 132, align: "right" });
  const totalTop = rowTop + 26;
  doc.moveTo(left, totalTop - 6).lineTo(left + inner, totalTop - 6).strokeColor("#999999").stroke();
  doc.font("bold").fontSize(12).text(w.total, left + 8, totalTop, { width: inner - 150 });
  doc.text(amount, left + inner - 140, totalTop, { width: 132, align: "right" });

  doc.font("regular").fontSize(9).fillColor("#555555").text(w.neverExpires, left, totalTop + 40, { width: inner });
  doc.end();
  return done;
}
