/**
 * A jar (a stored, uncompressed zip) holding only ServiceLoader manifests. Apicurio's Kafka Connect converter
 * ships without `META-INF/services/org.apache.kafka.connect.storage.Converter`, and the worker discovers
 * plugins with `plugin.discovery=service_load`; this jar, dropped into the converter's plugin folder, names it.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

/** The bytes of a zip with the given files stored as they are. */
export function storedZip(files: Readonly<Record<string, string>>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text, 'utf8');
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    // version, flags, method 0 (stored), time, date (1980-01-01), crc, sizes, name length, extra length
    const common = [u16(20), u16(0), u16(0), u16(0), u16(0x21), u32(crc), u32(data.length), u32(data.length), u16(nameBytes.length), u16(0)];
    const local = Buffer.concat([u32(0x04034b50), ...common, nameBytes, data]);
    centrals.push(Buffer.concat([u32(0x02014b50), u16(20), ...common, u16(0), u16(0), u16(0), u32(0), u32(offset), nameBytes]));
    locals.push(local);
    offset += local.length;
  }
  const central = Buffer.concat(centrals);
  const end = Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(centrals.length), u16(centrals.length), u32(central.length), u32(offset), u16(0)]);
  return Buffer.concat([...locals, central, end]);
}

/** Writes `<dir>/pipec-services.jar` naming the given converter classes, unless it is there already. */
export function ensureConverterServicesJar(dir: string, converters: readonly string[]): void {
  const file = `${dir}/pipec-services.jar`;
  if (!existsSync(dir) || existsSync(file)) return;
  writeFileSync(file, storedZip({ 'META-INF/services/org.apache.kafka.connect.storage.Converter': `${converters.join('\n')}\n` }));
}
