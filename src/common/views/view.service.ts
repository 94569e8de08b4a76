import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { translate, type Locale } from '../i18n/i18n.js';

export const TEMPLATES_DIR = resolve(process.cwd(), 'templates');

/** What every page template can rely on, beside its own view model. */
export interface PageBase {
  locale: Locale;
  lang: 'zh-CN' | 'en';
  user: { id: string; name: string; role: string; roleLabel: string } | null;
  csrfToken: string;
  path: string;
  switchLangUrl: string;
  requestId: string;
  title: string;
  /** The main menu for this caller (see navigation.ts). */
  nav: Array<{ href: string; label: string; current: boolean }>;
}

function listTemplates(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listTemplates(full));
    else if (name.endsWith('.hbs')) out.push(full);
  }
  return out;
}

const SHANGHAI = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/**
 * Renders Handlebars templates from templates/ with strict mode on: a misspelt variable is an
 * error, not an empty string. Double braces escape; triple braces are used only for `body`,
 * which is the already-escaped output of a page template.
 */
@Injectable()
export class ViewService {
  private readonly hbs = Handlebars.create();
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();

  constructor() {
    this.registerHelpers();
    for (const file of listTemplates(join(TEMPLATES_DIR, 'partials'))) {
      const name = relative(join(TEMPLATES_DIR, 'partials'), file).replace(/\.hbs$/, '');
      this.hbs.registerPartial(name, readFileSync(file, 'utf8'));
    }
  }

  /** Compiles (once) and renders templates/<name>.hbs with `context`. */
  render(name: string, context: object): string {
    let template = this.compiled.get(name);
    if (!template) {
      const source = readFileSync(join(TEMPLATES_DIR, `${name}.hbs`), 'utf8');
      template = this.hbs.compile(source, { strict: true, noEscape: false });
      this.compiled.set(name, template);
    }
    return template(context, { allowProtoPropertiesByDefault: false });
  }

  /** A page inside the layout. */
  renderPage(page: string, base: PageBase, model: object): string {
    const context = { ...base, ...model };
    const body = this.render(`pages/${page}`, context);
    return this.render('layouts/main', { ...context, body });
  }

  private registerHelpers(): void {
    this.hbs.registerHelper(
      't',
      function (this: unknown, key: string, options: Handlebars.HelperOptions) {
        const data = options.data as { root?: { locale?: Locale } } | undefined;
        const root = data?.root;
        return translate(root?.locale ?? 'zh-CN', key, options.hash as Record<string, unknown>);
      },
    );
    this.hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    this.hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
    this.hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
    this.hbs.registerHelper('not', (a: unknown) => !a);
    /** A UTC instant shown in Beijing time, e.g. 2026-11-27 14:05:09. */
    this.hbs.registerHelper('datetime', (value: unknown) => {
      if (value === null || value === undefined || value === '') return '';
      if (!(value instanceof Date) && typeof value !== 'string' && typeof value !== 'number')
        return '';
      const date = value instanceof Date ? value : new Date(value);
      if (Number.isNaN(date.getTime())) return '';
      return SHANGHAI.format(date).replace(/\//g, '-');
    });
  }
}
