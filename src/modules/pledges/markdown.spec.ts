import { describe, expect, it } from '@jest/globals';
import { renderMarkdown } from './markdown.js';

describe('the convention Markdown renderer', () => {
  it('renders headings, paragraphs, lists and bold', () => {
    const html = renderMarkdown(
      '# 总则\n\n会员应当**诚实守信**。\n第二行\n\n1. 第一项\n2. 第二项\n\n- 甲\n- 乙\n\n### 附则',
    );
    expect(html).toBe(
      [
        '<h1>总则</h1>',
        '<p>会员应当<strong>诚实守信</strong>。<br>\n第二行</p>',
        '<ol>\n<li>第一项</li>\n<li>第二项</li>\n</ol>',
        '<ul>\n<li>甲</li>\n<li>乙</li>\n</ul>',
        '<h3>附则</h3>',
      ].join('\n'),
    );
  });

  it('shows raw HTML as text and never as markup', () => {
    const html = renderMarkdown(
      '<script>alert(1)</script>\n\n# <img src=x onerror=alert(1)>\n\n- **<b>"x"</b>**',
    );
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<li><strong>&lt;b&gt;&quot;x&quot;&lt;/b&gt;</strong></li>');
  });

  it('leaves unmatched asterisks and other Markdown as typed', () => {
    expect(renderMarkdown('a ** b and [link](javascript:x)')).toBe(
      '<p>a ** b and [link](javascript:x)</p>',
    );
  });
});
