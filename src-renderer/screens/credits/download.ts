/** Offers text as a file download from the page (a Blob URL, revoked once the click has started it). */
export function saveTextFile(text: string, type: string, fileName: string): void {
  saveFile(text, type, fileName);
}

/** The same for bytes (an invoice PDF). */
export function saveFile(data: string | Uint8Array<ArrayBuffer>, type: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
