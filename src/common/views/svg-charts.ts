/**
 * A small server-side bar chart: plain SVG, no script, no external resources, readable by a
 * screen reader (role="img", <title>, and each bar's own <title>). Every label and value text
 * is escaped here, so the output can be placed in a page as markup.
 */

export interface ChartBar {
  label: string;
  value: number;
  /** Text shown after the bar; the value when omitted. */
  display?: string;
}

export interface BarChartOptions {
  title: string;
  bars: readonly ChartBar[];
  /** Overall width in px; the height follows from the number of bars. */
  width?: number;
  /** Text shown when there are no bars. */
  emptyText?: string;
}

const ROW = 28;
const BAR = 18;
const PAD = 8;
const LABEL_WIDTH = 210;
const VALUE_WIDTH = 80;
/** Labels longer than this are cut with an ellipsis (the full text stays in the bar's title). */
const LABEL_MAX = 24;

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for SVG/XML content and attribute values. */
export function escapeXml(text: string): string {
  // Control characters other than tab, line feed and carriage return are not allowed in XML.
  const allowed = [...text].filter((c) => {
    const code = c.charCodeAt(0);
    return code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
  });
  return allowed.join('').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

function cut(label: string): string {
  const chars = [...label];
  return chars.length > LABEL_MAX ? `${chars.slice(0, LABEL_MAX - 1).join('')}…` : label;
}

/** A horizontal bar chart as an SVG string. Negative or non-finite values draw as 0. */
export function barChart(options: BarChartOptions): string {
  const width = options.width ?? 640;
  const bars = options.bars.map((b) => ({
    ...b,
    value: Number.isFinite(b.value) && b.value > 0 ? b.value : 0,
  }));
  const title = escapeXml(options.title);
  if (bars.length === 0) {
    const height = ROW + 2 * PAD;
    return (
      `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
      `<title>${title}</title>` +
      `<text x="${PAD}" y="${PAD + ROW / 2 + 5}" class="chart-empty">${escapeXml(options.emptyText ?? '—')}</text></svg>`
    );
  }
  const max = Math.max(...bars.map((b) => b.value), 0);
  const plot = Math.max(width - LABEL_WIDTH - VALUE_WIDTH - 2 * PAD, 10);
  const height = bars.length * ROW + 2 * PAD;
  const rows = bars.map((b, i) => {
    const y = PAD + i * ROW;
    const length = max === 0 ? 0 : Math.round((b.value / max) * plot * 10) / 10;
    const text = escapeXml(b.display ?? String(b.value));
    const label = escapeXml(b.label);
    return (
      `<g class="chart-row">` +
      `<title>${label}: ${text}</title>` +
      `<text x="${LABEL_WIDTH}" y="${y + BAR / 2 + 5}" text-anchor="end" class="chart-label">${escapeXml(cut(b.label))}</text>` +
      `<rect x="${LABEL_WIDTH + PAD}" y="${y}" width="${length}" height="${BAR}" class="chart-bar" fill="#1f6feb"></rect>` +
      `<text x="${LABEL_WIDTH + 2 * PAD + length}" y="${y + BAR / 2 + 5}" class="chart-value">${text}</text>` +
      `</g>`
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-size="13">` +
    `<title>${title}</title>${rows.join('')}</svg>`
  );
}
