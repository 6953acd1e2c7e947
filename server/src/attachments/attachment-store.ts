import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/**
 * Where attachment bytes live. The database row only holds the key, so a deployment can swap the
 * disk for an object store without touching the service.
 */
export interface AttachmentStore {
  /** Stores the bytes under the key; once it resolves, the bytes survive a crash. Same key twice is fine. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The bytes, or null when nothing is stored under the key. */
  get(key: string): Promise<Buffer | null>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Content-addressed files at `<root>/<sha[0..2]>/<sha[2..4]>/<sha256>`; the key is the SHA-256 in hex. */
export class DiskAttachmentStore implements AttachmentStore {
  readonly rootDir: string;

  constructor(rootDir: string) {
    this.rootDir = resolve(rootDir);
  }

  pathFor(key: string): string {
    // The key becomes a path: anything but a hash could climb out of the root.
    if (!SHA256_HEX.test(key)) throw new Error(`attachment key must be a lowercase SHA-256 hex digest, got "${key}"`);
    return join(this.rootDir, key.slice(0, 2), key.slice(2, 4), key);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const target = this.pathFor(key);
    const dir = dirname(target);
    if (await sameSizeFileExists(target, bytes.byteLength)) return;

    const created = await mkdir(dir, { recursive: true });
    // A rename is atomic, so readers see either no file or the whole file, never a torn one.
    const temp = join(dir, `.${key}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temp, 'wx', 0o640);
    try {
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, target);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    // The rename is only durable once the directory entry is; new directories need their parents' entries too.
    await fsyncDir(dir);
    if (created !== undefined) {
      const last = dirname(created);
      for (let d = dirname(dir); ; d = dirname(d)) {
        await fsyncDir(d);
        if (d === last || d === dirname(d)) break;
      }
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathFor(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }
}

async function sameSizeFileExists(path: string, size: number): Promise<boolean> {
  try {
    return (await stat(path)).size === size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
