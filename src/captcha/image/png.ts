import { deflateSync } from 'node:zlib';

/** The eight bytes every PNG file starts with. */
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const BYTES_PER_PIXEL = 3; // 8-bit RGB
const COLOUR_TYPE_RGB = 2;
const FILTER_NONE = 0;

/** CRC-32 (IEEE, reflected 0xEDB88320) lookup table; built here because zlib.crc32 needs Node >= 20.15. */
const CRC_TABLE: Uint32Array = buildCrcTable();

function buildCrcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) {
      c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    table[n] = c >>> 0;
  }
  return table;
}

/** CRC-32 of the given byte ranges taken in order (PNG chunks checksum type + data). */
export function crc32(...parts: Uint8Array[]): number {
  let crc = 0xffffffff;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      crc = CRC_TABLE[(crc ^ part[i]) & 0xff] ^ (crc >>> 8);
    }
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const typeBytes = Buffer.from(type, 'latin1');
  const header = Buffer.alloc(4);
  header.writeUInt32BE(data.length, 0);
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32BE(crc32(typeBytes, data), 0);
  return Buffer.concat([header, typeBytes, data, trailer]);
}

function headerChunk(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = COLOUR_TYPE_RGB;
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  return chunk('IHDR', ihdr);
}

/** Raw scanlines: each row prefixed with filter byte 0 (none); deflate alone does well on these small images. */
function scanlines(width: number, height: number, rgb: Uint8Array): Buffer {
  const stride = width * BYTES_PER_PIXEL;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = FILTER_NONE;
    raw.set(rgb.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return raw;
}

/** Encodes tightly packed 8-bit RGB pixels (row-major, top row first) as a PNG file. */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`PNG size must be positive integers, got ${width}x${height}`);
  }
  if (rgb.length !== width * height * BYTES_PER_PIXEL) {
    throw new RangeError(`expected ${width * height * BYTES_PER_PIXEL} RGB bytes, got ${rgb.length}`);
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    headerChunk(width, height),
    chunk('IDAT', deflateSync(scanlines(width, height, rgb))),
    chunk('IEND', new Uint8Array(0)),
  ]);
}
