import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { TestApp } from './test-app.js';

/** Screenshots of every step land here, for people to look at the design. */
export const SHOTS = join(tmpdir(), 'szifa-browser');

export interface BrowserSession {
  /** http://127.0.0.1:<port> of the app under test. */
  base: string;
  /** The fresh Chromium profile directory (also a scratch folder for files to upload). */
  profile: string;
  context: BrowserContext;
  page: Page;
  /** Script errors, CSP violations and failed sub-resources (style sheet, logo, ...). */
  problems: string[];
  shot(name: string): Promise<Buffer>;
  close(): Promise<void>;
}

/**
 * Serves `t` on a free loopback port and opens Debian's Chromium on it, headless, with a fresh
 * profile and the flags this closed network needs. Nothing is downloaded.
 */
export async function openBrowser(
  t: TestApp,
  options: { locale?: string; shotPrefix?: string } = {},
): Promise<BrowserSession> {
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  mkdirSync(SHOTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'szifa-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1366, height: 900 },
    ...(options.locale ? { locale: options.locale } : {}),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (message) => {
    // A page answered 401/403 on purpose is reported as a failed load; sub-resources are
    // checked by their responses below instead.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      problems.push(message.text());
    }
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'document' && response.status() >= 400) {
      problems.push(`${response.status()} ${response.url()}`);
    }
  });
  const prefix = options.shotPrefix ?? '';
  return {
    base: `http://127.0.0.1:${port}`,
    profile,
    context,
    page,
    problems,
    shot: (name) => page.screenshot({ path: join(SHOTS, `${prefix}${name}.png`), fullPage: true }),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
