/**
 * QuickXorHash, the only content hash OneDrive for Business reports (`file.hashes.quickXorHash`).
 * Each input byte is XORed into a 160-bit circular register at a bit offset that advances by 11
 * per byte; the input length (64-bit little-endian) is then XORed into the register's last 8
 * bytes, and the 20 bytes are base64-encoded. Clients use it to verify uploads.
 */
const WIDTH_BITS = 160;
const SHIFT = 11;

const WIDTH_BYTES = WIDTH_BITS / 8;
/** Hashing is per content buffer; a file's bytes are replaced, never mutated, so this stays right. */
const cache = new WeakMap<Buffer, string>();

export function quickXorHash(data: Buffer): string {
  const known = cache.get(data);
  if (known !== undefined) return known;
  const out = new Uint8Array(WIDTH_BYTES);
  let shift = 0;
  for (const byte of data) {
    // The byte lands at bit `shift`: its low bits in one register byte, the rest in the next
    // (160 is a multiple of 8, so wrapping around the register is wrapping the byte index).
    const index = shift >> 3;
    const offset = shift & 7;
    out[index]! ^= (byte << offset) & 0xff;
    if (offset > 0) out[(index + 1) % WIDTH_BYTES]! ^= byte >> (8 - offset);
    shift = (shift + SHIFT) % WIDTH_BITS;
  }
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(data.length));
  for (let i = 0; i < 8; i++) out[out.length - 8 + i]! ^= length[i]!;
  const hash = Buffer.from(out).toString('base64');
  cache.set(data, hash);
  return hash;
}
