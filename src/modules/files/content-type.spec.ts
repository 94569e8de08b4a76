import { describe, expect, it } from '@jest/globals';
import { sniffContentType } from './content-type.js';

describe('upload content sniffing', () => {
  it('recognises PDF, PNG and JPEG by their first bytes', () => {
    expect(sniffContentType(Buffer.from('%PDF-1.7\n...'))?.type).toBe('application/pdf');
    expect(
      sniffContentType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))?.type,
    ).toBe('image/png');
    expect(sniffContentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))?.type).toBe(
      'image/jpeg',
    );
  });

  it('refuses a script renamed to .pdf and an HTML page claiming to be an image', () => {
    expect(sniffContentType(Buffer.from('#!/bin/sh\nrm -rf /'))).toBeNull();
    expect(sniffContentType(Buffer.from('<html><script>alert(1)</script>'))).toBeNull();
  });

  it('refuses a file too short to carry a signature', () => {
    expect(sniffContentType(Buffer.from([0x25, 0x50]))).toBeNull();
  });
});
