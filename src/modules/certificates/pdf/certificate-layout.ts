import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Handlebars from 'handlebars';
import { TEMPLATES_DIR } from '../../../common/views/view.service.js';
import type { CertificateKind } from './certificate-facts.js';

/**
 * A certificate template is a Handlebars file whose output is a layout: one directive a line,
 * `name | arg | arg ...`, the last argument taking the rest of the line (so a value may contain
 * `|`). Blank lines and lines starting with `#` are skipped. Values are flattened to one line
 * before filling (see `flattenFacts`), so facts can never add or split directives.
 */
export type LayoutLine =
  | { op: 'header'; zh: string; en: string }
  | { op: 'title'; zh: string; en: string }
  | { op: 'para'; text: string }
  | { op: 'para-en'; text: string }
  | { op: 'field'; labelZh: string; labelEn: string; value: string }
  | { op: 'gap'; points: number }
  | { op: 'signoff'; zh: string; en: string }
  | { op: 'qr'; caption: string }
  | { op: 'seal'; text: string }
  | { op: 'footer'; text: string };

const ARITY: Record<LayoutLine['op'], number> = {
  header: 2,
  title: 2,
  para: 1,
  'para-en': 1,
  field: 3,
  gap: 1,
  signoff: 2,
  qr: 1,
  seal: 1,
  footer: 1,
};

function isOp(name: string): name is LayoutLine['op'] {
  return Object.hasOwn(ARITY, name);
}

function splitArgs(rest: string, arity: number): string[] {
  const args: string[] = [];
  let remaining = rest;
  for (let i = 1; i < arity; i++) {
    const at = remaining.indexOf(' | ');
    if (at < 0) break;
    args.push(remaining.slice(0, at).trim());
    remaining = remaining.slice(at + 3);
  }
  args.push(remaining.trim());
  return args;
}

function toLine(op: LayoutLine['op'], a: string[], lineNo: number): LayoutLine {
  switch (op) {
    case 'header':
    case 'title':
    case 'signoff':
      return { op, zh: a[0], en: a[1] };
    case 'para':
    case 'para-en':
    case 'footer':
      return { op, text: a[0] };
    case 'qr':
      return { op, caption: a[0] };
    case 'seal':
      return { op, text: a[0] };
    case 'field':
      return { op, labelZh: a[0], labelEn: a[1], value: a[2] };
    case 'gap': {
      const points = Number(a[0]);
      if (!Number.isFinite(points)) throw new Error(`layout line ${lineNo}: gap needs a number`);
      return { op, points };
    }
  }
}

export function parseLayout(text: string): LayoutLine[] {
  const lines: LayoutLine[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const sep = line.indexOf(' | ');
    const name = sep < 0 ? line : line.slice(0, sep).trim();
    const rest = sep < 0 ? '' : line.slice(sep + 3);
    if (!isOp(name)) throw new Error(`layout line ${index + 1}: unknown directive "${name}"`);
    const args = splitArgs(rest, ARITY[name]);
    if (args.length !== ARITY[name]) {
      throw new Error(`layout line ${index + 1}: ${name} needs ${ARITY[name]} argument(s)`);
    }
    lines.push(toLine(name, args, index + 1));
  });
  return lines;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]+/g;

/** Copies the facts with every string on one line, so a value cannot add or split directives. */
export function flattenFacts(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(CONTROL, ' ');
  if (Array.isArray(value)) return value.map(flattenFacts);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, flattenFacts(v)]));
  }
  return value;
}

/**
 * Handlebars with strict lookups (a missing fact is an error, not a blank) and no HTML escaping
 * (the output is drawn as text, so `<script>` must stay `<script>`). Its own environment, so
 * nothing registered here leaks into the page renderer.
 */
const handlebars = Handlebars.create();
const compiled = new Map<CertificateKind, HandlebarsTemplateDelegate>();

export function certificateTemplatePath(kind: CertificateKind): string {
  return resolve(TEMPLATES_DIR, 'certificates', `${kind}.hbs`);
}

function templateFor(kind: CertificateKind): HandlebarsTemplateDelegate {
  let template = compiled.get(kind);
  if (!template) {
    const source = readFileSync(certificateTemplatePath(kind), 'utf8');
    template = handlebars.compile(source, { strict: true, noEscape: true });
    compiled.set(kind, template);
  }
  return template;
}

/** Fills the kind's template with the (flattened) context and parses the layout it yields. */
export function buildLayout(kind: CertificateKind, context: object): LayoutLine[] {
  return parseLayout(templateFor(kind)(flattenFacts(context)));
}
