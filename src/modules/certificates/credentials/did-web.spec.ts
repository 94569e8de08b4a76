import { describe, expect, it } from '@jest/globals';
import { didDocument, didWebOf } from './did-web.js';

describe('did:web of the public URL', () => {
  it('is the bare host for a site at the root', () => {
    expect(didWebOf('https://szifa.org.cn')).toBe('did:web:szifa.org.cn');
    expect(didWebOf('https://szifa.org.cn/')).toBe('did:web:szifa.org.cn');
  });

  it('percent-encodes the port colon and turns path segments into colon-separated parts', () => {
    expect(didWebOf('http://localhost:3000')).toBe('did:web:localhost%3A3000');
    expect(didWebOf('https://example.com:8443/platform/szifa')).toBe(
      'did:web:example.com%3A8443:platform:szifa',
    );
  });
});

describe('DID document', () => {
  it('lists every key as a Multikey assertion method controlled by the DID', () => {
    const doc = didDocument('did:web:szifa.org.cn', [
      { kid: 'szifa-20260101-1', publicKey: new Uint8Array(32) },
      { kid: 'szifa-20260601-1', publicKey: new Uint8Array(32).fill(1) },
    ]);
    expect(doc.verificationMethod).toEqual([
      expect.objectContaining({
        id: 'did:web:szifa.org.cn#szifa-20260101-1',
        type: 'Multikey',
        controller: 'did:web:szifa.org.cn',
      }),
      expect.objectContaining({ id: 'did:web:szifa.org.cn#szifa-20260601-1' }),
    ]);
    expect(doc.verificationMethod[0].publicKeyMultibase).toMatch(/^z6Mk/);
    expect(doc.assertionMethod).toEqual(doc.verificationMethod.map((m) => m.id));
  });
});
