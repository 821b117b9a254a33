/** Avro in the Confluent wire format, as Flink's avro-confluent format reads and writes it. */

/** Magic byte 0, the schema id (4 bytes, big-endian), then the Avro binary. */
export function frame(schemaId: number, avroBytes: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(0, 0);
  header.writeUInt32BE(schemaId, 1);
  return Buffer.concat([header, avroBytes]);
}

/** The unscaled value of a decimal as Avro's big-endian two's-complement bytes. */
export function decimalBytes(value: string, scale: number): Buffer {
  const [whole = '0', fraction = ''] = value.split('.');
  let unscaled = BigInt(whole + fraction.padEnd(scale, '0'));
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(unscaled & 0xffn));
    unscaled >>= 8n;
  } while (unscaled !== 0n && unscaled !== -1n);
  // Keep the sign bit right: a positive value whose top bit is set needs a leading 0x00 (0xff for negatives).
  const negative = value.startsWith('-');
  if (((bytes[0] ?? 0) & 0x80) !== 0 && !negative) bytes.unshift(0);
  if (((bytes[0] ?? 0) & 0x80) === 0 && negative) bytes.unshift(0xff);
  return Buffer.from(bytes);
}

export function decimalString(bytes: Buffer, scale: number): string {
  let unscaled = 0n;
  for (const b of bytes) unscaled = (unscaled << 8n) | BigInt(b);
  if (bytes.length > 0 && ((bytes[0] ?? 0) & 0x80) !== 0) unscaled -= 1n << BigInt(bytes.length * 8);
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
}
