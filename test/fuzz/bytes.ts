import { writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';

// @types/node 20.9 declares Buffer in a way TypeScript 5.9's Uint8Array<ArrayBufferLike> no longer
// accepts; these helpers keep the casts in one place.
const u8 = (b: Buffer) => b as unknown as Uint8Array;

export const concatBytes = (parts: Buffer[]): Buffer => Buffer.concat(parts.map(u8));
export const writeBytes = (file: string, bytes: Buffer) => writeFileSync(file, u8(bytes));
export const gzip = (bytes: Buffer): Buffer => gzipSync(u8(bytes));
export const gunzip = (bytes: Buffer): Buffer => gunzipSync(u8(bytes));
export const sameBytes = (a: Buffer, b: Buffer) => a.equals(u8(b));
