import type { AppConfig } from '../../config/app-config.js';
import { DocumentLinks } from './document-links.js';

const config = { PUBLIC_URL: 'https://szifa.example.cn' } as AppConfig;
const links = new DocumentLinks('s'.repeat(40), config);
const id = '2c451d9c-4f5a-4151-898f-076199be0f38';

describe('document check links', () => {
  it('carries a 128-bit base64url token bound to the kind and the id', () => {
    const token = links.token('invoice', id);
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(links.verifyUrl('invoice', id)).toBe(
      `https://szifa.example.cn/verify/document/invoice/${id}?t=${token}`,
    );
    expect(links.token('receipt', id)).not.toBe(token);
    expect(links.token('invoice', id.replace('2c', '3c'))).not.toBe(token);
  });

  it('accepts only the exact token', () => {
    const token = links.token('settlement', id);
    expect(links.check('settlement', id, token)).toBe(true);
    const changed = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect(links.check('settlement', id, changed)).toBe(false);
    expect(links.check('invoice', id, token)).toBe(false);
    expect(links.check('settlement', id, undefined)).toBe(false);
    expect(links.check('settlement', id, [token])).toBe(false);
    expect(links.check('settlement', id, '')).toBe(false);
  });

  it('depends on the application secret', () => {
    const other = new DocumentLinks('t'.repeat(40), config);
    expect(other.token('invoice', id)).not.toBe(links.token('invoice', id));
  });
});
