import { inflateSync } from 'node:zlib';
import { crc32, PNG_SIGNATURE } from './png';

/** Test support only: a strict reader for the PNGs encodePng writes (8-bit RGB, filter 0, no interlace). */
export interface PngChunk {
  readonly type: string;
  readonly data: Buffer;
  readonly crcValid: boolean;
}

export interface DecodedPng {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colourType: number;
  readonly chunks: readonly PngChunk[];
  /** Inflated IDAT: one filter byte then width * 3 bytes per row. */
  readonly scanlines: Buffer;
  /** Pixels with the filter bytes removed. */
  readonly rgb: Uint8Array;
}

export function readChunks(png: Buffer): PngChunk[] {
  const chunks: PngChunk[] = [];
  let offset = PNG_SIGNATURE.length;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const typeBytes = png.subarray(offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    const storedCrc = png.readUInt32BE(offset + 8 + length);
    chunks.push({ type: typeBytes.toString('latin1'), data, crcValid: storedCrc === crc32(typeBytes, data) });
    offset += 12 + length;
  }
  return chunks;
}

export function decodePng(png: Buffer): DecodedPng {
  if (!png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG signature');
  const chunks = readChunks(png);
  const ihdr = chunks[0];
  if (ihdr?.type !== 'IHDR') throw new Error('first chunk is not IHDR');
  const width = ihdr.data.readUInt32BE(0);
  const height = ihdr.data.readUInt32BE(4);
  const scanlines = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  const stride = width * 3;
  const rgb = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    rgb.set(scanlines.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)), y * stride);
  }
  return { width, height, bitDepth: ihdr.data[8], colourType: ihdr.data[9], chunks, scanlines, rgb };
}
