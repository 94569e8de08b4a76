import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Handlebars from 'handlebars';
import { TEMPLATES_DIR } from '../../common/views/view.service.js';
import { flattenFacts } from '../certificates/pdf/certificate-layout.js';
import type { DocumentKind } from './document-facts.js';

/**
 * A document template (templates/certificates/<kind>.hbs) yields a layout like a certificate's:
 * one directive a line, `name | arg | arg ...`; blank lines and `#` lines are skipped. Besides
 * the certificate's directives it has tables (`cols`, `th`, `td`), section headings, small notes
 * and `block | name`, which draws a multi-line fact (the agreement text) as it is, line for line.
 * Facts are flattened to one line and their `|` turned into a full-width `｜` before filling, so
 * no value can add a directive, a cell or an argument.
 */
export type DocumentLine =
  | { op: 'header'; zh: string; en: string }
  | { op: 'title'; zh: string; en: string }
  | { op: 'subtitle'; text: string }
  | { op: 'section'; zh: string; en: string }
  | { op: 'field'; labelZh: string; labelEn: string; value: string }
  | { op: 'cols'; widths: number[] }
  | { op: 'th'; cells: string[] }
  | { op: 'td'; cells: string[] }
  | { op: 'block'; name: string }
  | { op: 'note'; text: string }
  | { op: 'gap'; points: number }
  | { op: 'qr'; caption: string }
  | { op: 'signoff'; zh: string; en: string }
  | { op: 'seal'; text: string }
  | { op: 'footer'; text: string };

type Op = DocumentLine['op'];

/** Arguments each directive takes; 0 means one or more (table rows). */
const ARITY: Record<Op, number> = {
  header: 2,
  title: 2,
  subtitle: 1,
  section: 2,
  field: 3,
  cols: 0,
  th: 0,
  td: 0,
  block: 1,
  note: 1,
  gap: 1,
  qr: 1,
  signoff: 2,
  seal: 1,
  footer: 1,
};

function isOp(name: string): name is Op {
  return Object.hasOwn(ARITY, name);
}

function toLine(op: Op, a: string[], lineNo: number): DocumentLine {
  const number = (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new Error(`layout line ${lineNo}: ${op} needs numbers`);
    return n;
  };
  switch (op) {
    case 'header':
    case 'title':
    case 'section':
    case 'signoff':
      return { op, zh: a[0], en: a[1] };
    case 'subtitle':
    case 'note':
    case 'footer':
    case 'seal':
      return { op, text: a[0] };
    case 'qr':
      return { op, caption: a[0] };
    case 'block':
      return { op, name: a[0] };
    case 'field':
      return { op, labelZh: a[0], labelEn: a[1], value: a[2] };
    case 'gap':
      return { op, points: number(a[0]) };
    case 'cols':
      return { op, widths: a.map(number) };
    case 'th':
    case 'td':
      return { op, cells: a };
  }
}

export function parseDocumentLayout(text: string): DocumentLine[] {
  const lines: DocumentLine[] = [];
  let columns = 0;
  text.split('\n').forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const parts = line.split(' | ').map((part) => part.trim());
    const name = parts[0];
    if (!isOp(name)) throw new Error(`layout line ${lineNo}: unknown directive "${name}"`);
    const args = parts.slice(1);
    const arity = ARITY[name];
    if (arity > 0 && args.length !== arity)
      throw new Error(`layout line ${lineNo}: ${name} needs ${arity} argument(s)`);
    if (arity === 0 && args.length === 0)
      throw new Error(`layout line ${lineNo}: ${name} needs at least one argument`);
    const parsed = toLine(name, args, lineNo);
    if (parsed.op === 'cols') columns = parsed.widths.length;
    if ((parsed.op === 'th' || parsed.op === 'td') && parsed.cells.length !== columns)
      throw new Error(`layout line ${lineNo}: ${name} needs ${columns} cell(s) (see cols)`);
    lines.push(parsed);
  });
  return lines;
}

/** Flattens the facts (certificate rule) and turns `|` into `｜`, so values stay one argument. */
export function documentContext(value: unknown): unknown {
  const flat = flattenFacts(value);
  const guard = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(/\|/g, '｜');
    if (Array.isArray(v)) return v.map(guard);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, guard(x)]));
    return v;
  };
  return guard(flat);
}

/** Strict lookups, no HTML escaping (the output is drawn as text); its own environment. */
const handlebars = Handlebars.create();
const compiled = new Map<DocumentKind, HandlebarsTemplateDelegate>();

export function documentTemplatePath(kind: DocumentKind): string {
  return resolve(TEMPLATES_DIR, 'certificates', `${kind}.hbs`);
}

function templateFor(kind: DocumentKind): HandlebarsTemplateDelegate {
  let template = compiled.get(kind);
  if (!template) {
    const source = readFileSync(documentTemplatePath(kind), 'utf8');
    template = handlebars.compile(source, { strict: true, noEscape: true });
    compiled.set(kind, template);
  }
  return template;
}

/** Fills the kind's template with the guarded context and parses the layout it yields. */
export function buildDocumentLayout(kind: DocumentKind, context: object): DocumentLine[] {
  return parseDocumentLayout(templateFor(kind)(documentContext(context)));
}
