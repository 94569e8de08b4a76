/**
 * A deliberately small Markdown renderer for convention texts: headings (#–######),
 * paragraphs, ordered and unordered lists, and **bold**. The whole source is HTML-escaped
 * before any tag is added, so nothing a drafter types can become markup: raw HTML shows as
 * text. Anything else Markdown knows (links, images, code) is shown as typed.
 */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** `**x**` → <strong>x</strong> on already-escaped text (the asterisks are never escaped). */
function inline(escaped: string): string {
  return escaped.replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, '<strong>$1</strong>');
}

type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; lines: string[] }
  | { kind: 'list'; ordered: boolean; items: string[] };

const HEADING = /^(#{1,6})[ \t]+(.*?)[ \t#]*$/;
const ORDERED = /^[ \t]{0,3}\d{1,9}[.)][ \t]+(.*)$/;
const UNORDERED = /^[ \t]{0,3}[-*+][ \t]+(.*)$/;

function parse(source: string): Block[] {
  const blocks: Block[] = [];
  // At most one of these is open: the list or paragraph that the next line may continue.
  const open: {
    list: { kind: 'list'; ordered: boolean; items: string[] } | null;
    paragraph: { kind: 'paragraph'; lines: string[] } | null;
  } = { list: null, paragraph: null };
  const close = (): void => {
    if (open.list) blocks.push(open.list);
    if (open.paragraph) blocks.push(open.paragraph);
    open.list = null;
    open.paragraph = null;
  };
  for (const raw of source.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    if (line === '') {
      close();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      close();
      blocks.push({ kind: 'heading', level: heading[1].length, text: heading[2] });
      continue;
    }
    const ordered = ORDERED.exec(line);
    const item = ordered ?? UNORDERED.exec(line);
    if (item) {
      const isOrdered = ordered !== null;
      if (open.list?.ordered !== isOrdered) close();
      open.list ??= { kind: 'list', ordered: isOrdered, items: [] };
      open.list.items.push(item[1]);
      continue;
    }
    if (open.list) {
      // A continuation line belongs to the last item.
      open.list.items[open.list.items.length - 1] += ` ${line}`;
      continue;
    }
    open.paragraph ??= { kind: 'paragraph', lines: [] };
    open.paragraph.lines.push(line);
  }
  close();
  return blocks;
}

export function renderMarkdown(source: string): string {
  return parse(escapeHtml(source))
    .map((block) => {
      switch (block.kind) {
        case 'heading':
          return `<h${block.level}>${inline(block.text)}</h${block.level}>`;
        case 'paragraph':
          return `<p>${block.lines.map(inline).join('<br>\n')}</p>`;
        case 'list': {
          const tag = block.ordered ? 'ol' : 'ul';
          const items = block.items.map((text) => `<li>${inline(text)}</li>`).join('\n');
          return `<${tag}>\n${items}\n</${tag}>`;
        }
      }
    })
    .join('\n');
}
