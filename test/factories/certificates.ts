import { spawnSync } from 'node:child_process';
import { expect } from '@jest/globals';
import type { Test } from 'supertest';
import { bearer } from '../helpers/auth-flows.js';
import type { TestApp } from '../helpers/test-app.js';

/** POST /api/v1/certificates as `token`; the raw response, status unchecked. */
export function issueCertificate(t: TestApp, token: string, kind: string, subjectId: string): Test {
  return t.http
    .post('/api/v1/certificates')
    .set(...bearer(token))
    .send({ kind, subjectId });
}

/** Issues and expects 201; the certificate's body. */
export async function issuedCertificate(
  t: TestApp,
  token: string,
  kind: string,
  subjectId: string,
): Promise<{ id: string; serial: string; payload: string; signature: string; kid: string }> {
  const res = await issueCertificate(t, token, kind, subjectId);
  expect(res.status).toBe(201);
  return res.body as {
    id: string;
    serial: string;
    payload: string;
    signature: string;
    kid: string;
  };
}

/** GET the certificate's PDF as bytes (raw response, status unchecked). */
export function downloadCertificate(t: TestApp, token: string, id: string): Test {
  return t.http
    .get(`/api/v1/certificates/${id}/pdf`)
    .set(...bearer(token))
    .buffer(true)
    .parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    });
}

/** The text poppler extracts from a PDF. */
export function pdfText(pdf: Buffer): string {
  const out = spawnSync('pdftotext', ['-', '-'], { input: pdf });
  if (out.status !== 0) throw new Error(`pdftotext failed: ${out.stderr.toString()}`);
  return out.stdout.toString('utf8');
}

export { verifiesWithPublishedKeys as verifiesWithJwks } from '../helpers/jwks.js';
