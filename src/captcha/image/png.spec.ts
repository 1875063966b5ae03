import { crc32, encodePng, PNG_SIGNATURE } from './png';
import { decodePng } from './read-png.test-helper';

describe(encodePng.name, () => {
  it('encodes a 2x2 image that decodes back to the same pixels', () => {
    // red, green / blue, white
    const pixels = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]);

    const png = encodePng(2, 2, pixels);
    const decoded = decodePng(png);

    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(decoded).toMatchObject({ width: 2, height: 2, bitDepth: 8, colourType: 2 });
    expect(decoded.chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(decoded.chunks.every((c) => c.crcValid)).toBe(true);
    expect([...decoded.scanlines]).toEqual([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
    expect([...decoded.rgb]).toEqual([...pixels]);
  });

  it('rejects a pixel buffer that does not match the size', () => {
    expect(() => encodePng(2, 2, new Uint8Array(11))).toThrow(RangeError);
    expect(() => encodePng(0, 2, new Uint8Array(0))).toThrow(RangeError);
  });
});

describe(crc32.name, () => {
  it('matches the standard CRC-32 check value', () => {
    expect(crc32(Buffer.from('123456789', 'latin1'))).toBe(0xcbf43926);
  });

  it('treats several parts as one continuous input', () => {
    expect(crc32(Buffer.from('1234'), Buffer.from('56789'))).toBe(0xcbf43926);
  });
});
