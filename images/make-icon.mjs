// Draws the extension icon (images/icon.png, 128x128 RGBA) from a few shapes, with no image
// library: shapes are signed distance functions, anti-aliased by 4x4 supersampling, and the PNG is
// written by hand (zlib deflate + CRC32). Run: `node images/make-icon.mjs`.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const size = 128;
const samples = 4;

/** Distance from point p to the segment a–b, minus radius r (a capsule). */
const capsule = (px, py, ax, ay, bx, by, r) => {
  const [dx, dy, ex, ey] = [px - ax, py - ay, bx - ax, by - ay];
  const t = Math.max(0, Math.min(1, (dx * ex + dy * ey) / (ex * ex + ey * ey)));
  return Math.hypot(dx - ex * t, dy - ey * t) - r;
};
const circle = (px, py, cx, cy, r) => Math.hypot(px - cx, py - cy) - r;
const ring = (px, py, cx, cy, r, w) => Math.abs(circle(px, py, cx, cy, r)) - w / 2;
const roundedSquare = (px, py, half, r) => {
  const qx = Math.abs(px - size / 2) - half + r;
  const qy = Math.abs(py - size / 2) - half + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};

// Painted in order, later over earlier: a navy tile, a lens with a handle, and inside the lens two
// origins (teal, orange) joined by a request line.
const layers = [
  { color: [24, 44, 74], inside: (x, y) => roundedSquare(x, y, 62, 22) },
  { color: [236, 150, 52], inside: (x, y) => capsule(x, y, 82, 82, 108, 108, 8) },
  { color: [240, 244, 248], inside: (x, y) => ring(x, y, 54, 54, 34, 10) },
  { color: [240, 244, 248], inside: (x, y) => capsule(x, y, 36, 54, 72, 54, 2.5) },
  { color: [64, 200, 180], inside: (x, y) => circle(x, y, 36, 54, 8) },
  { color: [236, 150, 52], inside: (x, y) => circle(x, y, 72, 54, 8) },
];

const rgba = Buffer.alloc(size * size * 4);
for (let y = 0; y < size; y++) {
  for (let x = 0; x < size; x++) {
    const sum = [0, 0, 0, 0];
    for (let sy = 0; sy < samples; sy++) {
      for (let sx = 0; sx < samples; sx++) {
        const [px, py] = [x + (sx + 0.5) / samples, y + (sy + 0.5) / samples];
        let pixel = [0, 0, 0, 0];
        for (const layer of layers) if (layer.inside(px, py) <= 0) pixel = [...layer.color, 255];
        for (let c = 0; c < 4; c++) sum[c] += pixel[c];
      }
    }
    const n = samples * samples;
    const alpha = sum[3] / n;
    // Colour averaged over covered samples only, so edges do not darken towards transparent black.
    for (let c = 0; c < 3; c++)
      rgba[(y * size + x) * 4 + c] = alpha ? Math.round((sum[c] / n) * (255 / alpha)) : 0;
    rgba[(y * size + x) * 4 + 3] = Math.round(alpha);
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
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
};

const header = Buffer.alloc(13);
header.writeUInt32BE(size, 0);
header.writeUInt32BE(size, 4);
header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, no filter method variants, no interlace
// Each scanline starts with filter type 0 (none).
const raw = Buffer.concat(
  Array.from({ length: size }, (_, y) =>
    Buffer.concat([Buffer.of(0), rgba.subarray(y * size * 4, (y + 1) * size * 4)]),
  ),
);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('./icon.png', import.meta.url), png);
console.log(`images/icon.png: ${size}x${size}, ${png.length} bytes`);
