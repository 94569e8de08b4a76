import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

interface Operation {
  summary?: string;
  description?: string;
  'x-szifa-access'?: unknown;
  responses: Record<string, unknown>;
}

interface ExpressLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: { paths: Record<string, Record<string, Operation>> };

  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.http.get('/api/docs-json').expect(200)).body;
  });
  afterAll(() => t.close());

  it('lists every API route the server actually serves', () => {
    const express = t.app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } };
    const served = express.router.stack
      .filter((layer) => layer.route?.path.startsWith('/api/v1/'))
      .flatMap((layer) =>
        Object.keys(layer.route!.methods).map(
          (method) => `${method} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`,
        ),
      );
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    expect(served.length).toBeGreaterThan(3);
    expect(served.filter((op) => !documented.includes(op))).toEqual([]);
  });

  it('states for each operation who may call it and which problems it answers', () => {
    const missing: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/v1/')) continue;
      for (const [method, op] of Object.entries(ops)) {
        const name = `${method.toUpperCase()} ${path}`;
        if (!op.summary) missing.push(`${name}: summary`);
        const access = op['x-szifa-access'];
        if (access === undefined) missing.push(`${name}: access`);
        if (access !== 'public' && !op.responses['401']) missing.push(`${name}: 401 response`);
        if (Array.isArray(access) && !op.responses['403']) missing.push(`${name}: 403 response`);
        if (!/Public\.|Any signed-in user\.|Roles: /.test(op.description ?? ''))
          missing.push(`${name}: roles in description`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('serves the interactive documentation page', async () => {
    const res = await t.http.get('/api/docs').expect(200);
    expect(res.text).toContain('swagger');
  });
});
