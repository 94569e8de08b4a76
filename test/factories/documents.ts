import { expect } from '@jest/globals';
import type { Test } from 'supertest';
import { bearer } from '../helpers/auth-flows.js';
import type { TestApp } from '../helpers/test-app.js';
import type { WebAgent } from '../helpers/pages.js';
import { pdfText } from './certificates.js';

/** Collects a binary body (supertest leaves application/pdf unparsed otherwise). */
export function asBytes(test: Test): Test {
  return test.buffer(true).parse((response, done) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => done(null, Buffer.concat(chunks)));
  });
}

/** GET an API path as `token`, body as bytes (raw response, status unchecked). */
export function getPdf(t: TestApp, token: string, path: string): Test {
  return asBytes(t.http.get(path).set(...bearer(token)));
}

/** GET a page path with a signed-in web agent, body as bytes. */
export function getPagePdf(agent: WebAgent, path: string): Test {
  return asBytes(agent.get(path));
}

/** Downloads a PDF (expects 200 application/pdf) and returns its bytes and squeezed text. */
export async function pdfOf(
  t: TestApp,
  token: string,
  path: string,
): Promise<{ bytes: Buffer; text: string }> {
  const res = await getPdf(t, token, path);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  const bytes = res.body as Buffer;
  return { bytes, text: pdfText(bytes).replace(/\s+/g, '') };
}

/** The check link printed under a document's QR code, as a path with its token. */
export function checkPathIn(text: string): string {
  const match =
    /\/verify\/document\/(invoice|receipt|settlement)\/([0-9a-f-]{36})\?t=([A-Za-z0-9_-]{22})/.exec(
      text,
    );
  if (!match) throw new Error('no document check link in the PDF text');
  return match[0];
}

/** The same path with one character of the token changed. */
export function tampered(path: string): string {
  const last = path.at(-1) === 'A' ? 'B' : 'A';
  return `${path.slice(0, -1)}${last}`;
}
