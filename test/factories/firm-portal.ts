import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { OutboxEmail } from '../../src/modules/notifications/entities/outbox-email.entity.js';
import type { TestApp } from '../helpers/test-app.js';

/** Small files whose first bytes make them what their name says (or does not). */
export const SAMPLE_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);
export const SAMPLE_PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89', 'latin1'),
]);
export const SAMPLE_JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46,
]);

/** A PDF of exactly `size` bytes (a valid signature, then padding). */
export function pdfOfSize(size: number): Buffer {
  const head = Buffer.from('%PDF-1.4\n');
  return Buffer.concat([head, Buffer.alloc(Math.max(size - head.length, 0), 0x20)]);
}

/** Every stored file under DATA_DIR/files (temporary files included), as relative paths. */
export function storedFiles(t: TestApp): string[] {
  const root = join(t.config.DATA_DIR, 'files');
  const out: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full, `${prefix}${name}/`);
      else out.push(`${prefix}${name}`);
    }
  };
  walk(root, '');
  return out.sort();
}

/** A complete, valid profile body for PATCH /profile. */
export function completeProfile(): Record<string, unknown> {
  return {
    nameEn: 'Example Fintech Co., Ltd.',
    registeredCapital: '10000000.50',
    establishedOn: '2015-06-01',
    address: '深圳市福田区深南大道 1000 号',
    district: 'futian',
    website: 'https://example-fintech.cn',
    contactName: '王小明',
    contactPhone: '0755-8888 6666',
    contactEmail: 'contact@example-fintech.cn',
    categories: ['online_lending', 'third_party_payment'],
  };
}

/** The token of the newest invitation e-mail sent to `email` (read from the outbox). */
export async function invitationTokenFor(t: TestApp, email: string): Promise<string> {
  const [mail] = await t.dataSource.getRepository(OutboxEmail).find({
    where: { recipient: email, template: 'firm-invitation' },
    order: { createdAt: 'DESC' },
    take: 1,
  });
  const token = mail ? /\/invitations\/accept\?token=([A-Za-z0-9_-]+)/.exec(mail.textBody) : null;
  if (!token) throw new Error(`no invitation e-mail to ${email}`);
  return token[1];
}
