import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { AppConfig } from '../../config/app-config.js';
import { FileStore, sha256Of } from './file-store.service.js';
import { FilesError } from './files.errors.js';

const PDF = Buffer.from('%PDF-1.7\nhello\n%%EOF\n');

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('content-addressed file store', () => {
  let dataDir: string;
  let store: FileStore;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'szifa-files-'));
    store = new FileStore(Object.assign(new AppConfig(), { DATA_DIR: dataDir }));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('stores bytes under files/<first two hex>/<rest> of their SHA-256, with the sniffed type', async () => {
    const stored = await store.put(PDF);
    const hash = sha256Of(PDF);
    expect(stored).toEqual({
      sha256: hash,
      size: PDF.length,
      contentType: 'application/pdf',
      extension: 'pdf',
    });
    expect(allFiles(join(dataDir, 'files'))).toEqual([
      join(dataDir, 'files', hash.slice(0, 2), hash.slice(2)),
    ]);
    expect((await store.read(hash)).equals(PDF)).toBe(true);
  });

  it('stores identical content once and leaves no temporary file behind', async () => {
    await Promise.all([store.put(PDF), store.put(PDF), store.put(Buffer.from(PDF))]);
    expect(allFiles(join(dataDir, 'files'))).toHaveLength(1);
  });

  it('refuses content that is not PDF, JPEG or PNG and writes nothing', async () => {
    const error = await store.put(Buffer.from('<html>not a pdf</html>')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FilesError);
    expect((error as FilesError).code).toBe('UNSUPPORTED_FILE_TYPE');
    expect(allFiles(dataDir)).toEqual([]);
  });

  it('refuses to serve a stored file whose bytes no longer match its name', async () => {
    const { sha256 } = await store.put(PDF);
    writeFileSync(join(dataDir, 'files', sha256.slice(0, 2), sha256.slice(2)), '%PDF-tampered');
    await expect(store.read(sha256)).rejects.toThrow(/does not match/);
  });

  it('never turns a name that is not a SHA-256 digest into a path', async () => {
    await expect(store.read('../../etc/passwd')).rejects.toThrow(/SHA-256/);
    await expect(store.has('AB'.repeat(32))).rejects.toThrow(/SHA-256/);
  });
});
