import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { access, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { sniffContentType, type AllowedType } from './content-type.js';
import { FilesError } from './files.errors.js';

export interface StoredFile {
  sha256: string;
  size: number;
  /** From the content's first bytes, never from a name or the client's claim. */
  contentType: AllowedType;
  /** The extension that matches the content ('pdf', 'png', 'jpg'). */
  extension: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Uploaded files, kept outside the database and named by the SHA-256 of their content:
 * `${DATA_DIR}/files/ab/cdef…`. Identical content is stored once, a stored file never changes,
 * and nothing is ever deleted here (records that point at a file may be evidence).
 *
 * Writes go to a temporary file in the same tree and are renamed into place, so a reader never
 * sees half a file and a crash leaves at most a stray temporary file, never a wrong one.
 */
@Injectable()
export class FileStore {
  private readonly root: string;

  constructor(config: AppConfig) {
    this.root = resolve(config.DATA_DIR, 'files');
  }

  /**
   * Stores `bytes` if they are an allowed type (PDF, JPEG, PNG by content); otherwise throws
   * UNSUPPORTED_FILE_TYPE and writes nothing.
   */
  async put(bytes: Buffer): Promise<StoredFile> {
    const sniffed = sniffContentType(bytes.subarray(0, 16));
    if (!sniffed) throw new FilesError('UNSUPPORTED_FILE_TYPE');
    const sha256 = sha256Of(bytes);
    const target = this.pathOf(sha256);
    if (!(await this.exists(target))) {
      await mkdir(dirname(target), { recursive: true });
      const temp = join(this.root, 'tmp', `${randomUUID()}.part`);
      await mkdir(dirname(temp), { recursive: true });
      try {
        const handle = await open(temp, 'wx', 0o640);
        try {
          await handle.writeFile(bytes);
          await handle.sync();
        } finally {
          await handle.close();
        }
        // Two uploads of the same content may race here; either rename leaves the same bytes.
        await rename(temp, target);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    }
    return { sha256, size: bytes.length, contentType: sniffed.type, extension: sniffed.extension };
  }

  /** The content, checked against its name: a file changed on disk is an error, not a download. */
  async read(sha256: string): Promise<Buffer> {
    const bytes = await readFile(this.pathOf(sha256));
    if (sha256Of(bytes) !== sha256)
      throw new Error(`stored file ${sha256} does not match its SHA-256`);
    return bytes;
  }

  /** The content as a stream (not re-hashed; use read() where integrity matters more than memory). */
  stream(sha256: string): ReadStream {
    return createReadStream(this.pathOf(sha256));
  }

  async has(sha256: string): Promise<boolean> {
    return this.exists(this.pathOf(sha256));
  }

  private pathOf(sha256: string): string {
    // The name is always ours (a hash we computed), but a bad one must never become a path.
    if (!SHA256_HEX.test(sha256)) throw new Error('not a SHA-256 hex digest');
    return join(this.root, sha256.slice(0, 2), sha256.slice(2));
  }

  private async exists(path: string): Promise<boolean> {
    try {
      await access(path);
      return true;
    } catch {
      return false;
    }
  }
}
