import { createReadStream } from 'node:fs';

/*
 * The signatures of raster pictures, long enough that compressed or random bytes practically never
 * hold one by chance. Found anywhere in a document's bytes (appended after its end, between its parts,
 * in a comment, in a part that claims to be text), they mean a picture is carried there even if the
 * document's structure does not show it.
 */
const SIGNATURES: Array<{ name: string; bytes: Buffer; matches?: (data: Buffer, at: number) => boolean }> = [
  { name: 'PNG', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { name: 'JPEG', bytes: Buffer.from([0xff, 0xd8, 0xff]), matches: (data, at) => ['JFIF\0', 'Exif\0'].includes(data.toString('latin1', at + 6, at + 11)) },
  { name: 'GIF', bytes: Buffer.from('GIF8', 'latin1'), matches: (data, at) => ['7a', '9a'].includes(data.toString('latin1', at + 4, at + 6)) },
  { name: 'WebP', bytes: Buffer.from('RIFF', 'latin1'), matches: (data, at) => data.toString('latin1', at + 8, at + 12) === 'WEBP' },
  { name: 'HEIC or AVIF', bytes: Buffer.from('ftyp', 'latin1'), matches: (data, at) => ['heic', 'heix', 'hevc', 'mif1', 'avif'].includes(data.toString('latin1', at + 4, at + 8)) },
  { name: 'JPEG 2000', bytes: Buffer.from([0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a]) },
  { name: 'JPEG XL', bytes: Buffer.from([0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20, 0x0d, 0x0a, 0x87, 0x0a]) },
];

const LONGEST = Math.max(...SIGNATURES.map((signature) => signature.bytes.length)) + 12;

/** The same for a file, read a slice at a time (slices overlap, so no signature is cut in two). */
export async function rasterSignatureInFile(path: string): Promise<string | undefined> {
  let carried = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: 8 * 1024 * 1024 }) as AsyncIterable<Buffer>) {
    const window = Buffer.concat([carried, chunk]);
    const found = rasterSignatureIn(window);
    if (found) return found;
    carried = window.subarray(Math.max(0, window.length - LONGEST));
  }
  return undefined;
}

/** The kind of the first raster picture whose signature the bytes hold, if any. */
export function rasterSignatureIn(data: Buffer): string | undefined {
  for (const signature of SIGNATURES) {
    for (let at = data.indexOf(signature.bytes); at !== -1; at = data.indexOf(signature.bytes, at + 1)) {
      if (!signature.matches || signature.matches(data, at)) return signature.name;
    }
  }
  return undefined;
}
