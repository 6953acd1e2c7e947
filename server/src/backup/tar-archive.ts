import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';

/**
 * The backup file is a plain POSIX tar (ustar), so an operator can list and unpack it with `tar` and hand the
 * PostgreSQL dump inside to pg_restore directly, without CityOps. Only regular files are written; sizes from
 * 8 GiB up use GNU's base-256 size field, which GNU tar and bsdtar both read. Written here (about a hundred
 * lines) rather than through a package: the project has no tar dependency, and only this subset is needed.
 */

const BLOCK = 512;
const OCTAL_SIZE_LIMIT = 8 ** 11; // what 11 octal digits hold
const CHUNK = 1 << 20;

export interface TarEntry {
  name: string;
  size: number;
  /** Where the entry's bytes start in the file. */
  offset: number;
}

export function tarHeader(name: string, size: number, mtimeSeconds: number): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  if (nameBytes.length > 100) throw new Error(`tar entry name longer than 100 bytes: ${name}`);
  const header = Buffer.alloc(BLOCK);
  nameBytes.copy(header, 0);
  header.write('0000644\0', 100, 'latin1'); // mode
  header.write('0000000\0', 108, 'latin1'); // uid
  header.write('0000000\0', 116, 'latin1'); // gid
  writeSize(header, size);
  header.write(`${Math.floor(mtimeSeconds).toString(8).padStart(11, '0')}\0`, 136, 'latin1');
  header.write('        ', 148, 'latin1'); // checksum counted as spaces
  header.write('0', 156, 'latin1'); // regular file
  header.write('ustar\0' + '00', 257, 'latin1');
  header.write(`${checksumOf(header).toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return header;
}

function writeSize(header: Buffer, size: number): void {
  if (!Number.isSafeInteger(size) || size < 0) throw new Error(`bad tar entry size ${size}`);
  if (size < OCTAL_SIZE_LIMIT) {
    header.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
    return;
  }
  // Base-256: high bit of the first byte set, the size big-endian in the field's remaining 11 bytes.
  let rest = BigInt(size);
  for (let i = 135; i > 124; i--) {
    header[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  header[124] = 0x80;
}

function readSize(header: Buffer): number {
  if ((header[124]! & 0x80) !== 0) {
    let size = 0n;
    for (let i = 125; i < 136; i++) size = (size << 8n) | BigInt(header[i]!);
    return Number(size);
  }
  return parseOctal(header, 124, 12);
}

function parseOctal(header: Buffer, offset: number, length: number): number {
  const text = header.toString('latin1', offset, offset + length).replace(/[\0 ]+$/, '').trim();
  return text === '' ? 0 : Number.parseInt(text, 8);
}

function checksumOf(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return sum;
}

const padding = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK;

/** Appends entries to a new tar file; `finish` writes the end-of-archive blocks and flushes the file to disk. */
export class TarWriter {
  readonly #file: FileHandle;

  private constructor(file: FileHandle) {
    this.#file = file;
  }

  static async create(path: string): Promise<TarWriter> {
    return new TarWriter(await open(path, 'wx', 0o600));
  }

  async addBuffer(name: string, bytes: Uint8Array, mtimeSeconds = Date.now() / 1000): Promise<void> {
    await this.#file.write(tarHeader(name, bytes.byteLength, mtimeSeconds));
    await this.#file.write(bytes);
    await this.#file.write(Buffer.alloc(padding(bytes.byteLength)));
  }

  /** Copies a file in; the size is taken once, so a file that changes meanwhile is refused rather than torn. */
  async addFile(name: string, path: string): Promise<void> {
    const source = await open(path, 'r');
    try {
      const { size, mtimeMs } = await source.stat();
      await this.#file.write(tarHeader(name, size, mtimeMs / 1000));
      const buffer = Buffer.allocUnsafe(CHUNK);
      let copied = 0;
      while (copied < size) {
        const { bytesRead } = await source.read(buffer, 0, Math.min(CHUNK, size - copied), copied);
        if (bytesRead === 0) throw new Error(`${path} became shorter while it was being archived`);
        await this.#file.write(buffer, 0, bytesRead);
        copied += bytesRead;
      }
      await this.#file.write(Buffer.alloc(padding(size)));
    } finally {
      await source.close();
    }
  }

  async finish(): Promise<void> {
    await this.#file.write(Buffer.alloc(2 * BLOCK));
    await this.#file.sync();
    await this.#file.close();
  }

  async abandon(): Promise<void> {
    await this.#file.close().catch(() => undefined);
  }
}

/** The entries of a tar file, read from the headers only; a damaged header or a cut-off file is refused. */
export async function readTarIndex(path: string): Promise<TarEntry[]> {
  const file = await open(path, 'r');
  try {
    const { size: fileSize } = await file.stat();
    const entries: TarEntry[] = [];
    const header = Buffer.alloc(BLOCK);
    for (let position = 0; ;) {
      const { bytesRead } = await file.read(header, 0, BLOCK, position);
      if (bytesRead < BLOCK) throw new Error(`the file ends at byte ${fileSize} without the end of the archive: it is cut off`);
      if (header.every((b) => b === 0)) return entries;
      const stored = parseOctal(header, 148, 8);
      if (stored !== checksumOf(header)) throw new Error(`the archive header at byte ${position} is damaged (checksum)`);
      const nul = header.subarray(0, 100).indexOf(0);
      const name = header.toString('utf8', 0, nul === -1 ? 100 : nul);
      const size = readSize(header);
      const type = String.fromCharCode(header[156]!);
      const offset = position + BLOCK;
      if (offset + size > fileSize) throw new Error(`the archive entry ${name} needs ${size} bytes but the file ends before: it is cut off`);
      if (type === '0' || type === '\0') entries.push({ name, size, offset });
      position = offset + size + padding(size);
    }
  } finally {
    await file.close();
  }
}

export function entryStream(path: string, entry: TarEntry): Readable {
  // createReadStream's end is inclusive, so an empty entry cannot be expressed as a range.
  if (entry.size === 0) return Readable.from([]);
  return createReadStream(path, { start: entry.offset, end: entry.offset + entry.size - 1, highWaterMark: CHUNK });
}

export async function readEntry(path: string, entry: TarEntry): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const bytes = Buffer.alloc(entry.size);
    const { bytesRead } = await file.read(bytes, 0, entry.size, entry.offset);
    if (bytesRead !== entry.size) throw new Error(`the archive entry ${entry.name} is cut off`);
    return bytes;
  } finally {
    await file.close();
  }
}
