// Draws Caller's app icon (build/icon.png, 512×512; electron-builder derives
// .icns and .ico from it) without an image library: a green disc with a white
// "C", written as a plain RGBA PNG. Run: node build/make-icons.mjs
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const size = 512;
const rgba = Buffer.alloc(size * size * 4);
const centre = (size - 1) / 2;
for (let y = 0; y < size; y++) {
  for (let x = 0; x < size; x++) {
    const at = (y * size + x) * 4;
    const d = Math.hypot(x - centre, y - centre);
    const disc = Math.max(0, Math.min(1, size / 2 - 8 - d + 0.5));
    // A white "C" (for Caller): a ring open to the right.
    const angle = Math.atan2(y - centre, x - centre);
    const ring = Math.max(0, Math.min(1, 60 - Math.abs(d - 150) + 0.5));
    const mark = Math.abs(angle) > Math.PI / 4 ? ring : 0;
    const [r, g, b] = [0x2e + (255 - 0x2e) * mark, 0xa0 + (255 - 0xa0) * mark, 0x43 + (255 - 0x43) * mark].map(Math.round);
    rgba.set([r, g, b, Math.round(disc * 255)], at);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
};
const header = Buffer.alloc(13);
header.writeUInt32BE(size, 0);
header.writeUInt32BE(size, 4);
header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
const rows = Buffer.alloc(size * (size * 4 + 1));
for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(rows, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
writeFileSync(new URL("icon.png", import.meta.url), png);
console.log(`build/icon.png: ${size}×${size}, ${png.length} bytes`);
