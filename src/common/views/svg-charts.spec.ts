import { describe, expect, it } from '@jest/globals';
import { barChart, escapeXml } from './svg-charts.js';

describe('svg bar chart', () => {
  it('draws one bar per entry, the largest value full width', () => {
    const svg = barChart({
      title: 'Open',
      width: 500,
      bars: [
        { label: 'a', value: 4 },
        { label: 'b', value: 2 },
      ],
    });
    expect(svg.startsWith('<svg')).toBe(true);
    const widths = [...svg.matchAll(/<rect [^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(2);
    expect(widths[0]).toBe(widths[1] * 2);
    expect(svg).toContain('<title>Open</title>');
  });

  it('escapes every label, value text and the title', () => {
    const svg = barChart({
      title: '<script>alert(1)</script>',
      bars: [{ label: '"><img src=x onerror=alert(1)>&', value: 1, display: '<b>1</b>' }],
    });
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<img');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;&amp;');
    expect(svg).toContain('&lt;b&gt;1&lt;/b&gt;');
  });

  it('draws zero, negative and non-numbers as empty bars, and says so when there is nothing', () => {
    const svg = barChart({
      title: 't',
      bars: [
        { label: 'z', value: 0 },
        { label: 'n', value: -3 },
        { label: 'x', value: Number.NaN },
      ],
    });
    expect([...svg.matchAll(/width="0"/g)]).toHaveLength(3);
    expect(barChart({ title: 't', bars: [], emptyText: '暂无数据' })).toContain('暂无数据');
  });

  it('cuts long labels but keeps the whole label in the tooltip', () => {
    const long = '深圳市某某某某某某某某某某网络借贷信息中介服务有限公司分公司';
    const svg = barChart({ title: 't', bars: [{ label: long, value: 1 }] });
    expect(svg).toContain(`<title>${long}: 1</title>`);
    expect(svg).toContain('…</text>');
  });

  it('drops control characters XML does not allow', () => {
    expect(escapeXml('a\u0001b\u0007c')).toBe('abc');
  });
});
