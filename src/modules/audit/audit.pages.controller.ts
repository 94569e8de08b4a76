import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth, Roles } from '../../common/auth/decorators.js';
import { CommonError } from '../../common/errors/domain-error.js';
import { validateForm } from '../../common/http/validation.js';
import { isMessageKey, translate, type Locale } from '../../common/i18n/i18n.js';
import { formErrors } from '../../common/views/form-errors.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { AuditService, type AuditEventItem, type VerifyResult } from './audit.service.js';
import { canonicalJson } from './canonical-json.js';
import { AUDIT_PAGE_DEFAULT } from './dto/list-audit-events.dto.js';
import { AuditPageQueryDto } from './dto/audit-page-query.dto.js';

const FIELDS = ['action', 'subjectType', 'subjectId', 'actorId', 'from', 'to'] as const;
type Field = (typeof FIELDS)[number];

/** Beijing has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact. */
const BEIJING_OFFSET = '+08:00';
const DAY_MS = 86_400_000;

/** Query values as the form sends them: empty inputs dropped, text trimmed. */
function filledIn(query: Request['query']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    const cleaned = typeof value === 'string' ? value.trim() : value;
    if (cleaned !== '' && cleaned !== undefined) out[key] = cleaned;
  }
  return out;
}

function roleLabel(locale: Locale, role: string): string {
  if (role === 'system') return translate(locale, 'audit.actor.system');
  const key = `role.${role}`;
  return isMessageKey(key) ? translate(locale, key) : role;
}

/** Long ids (UUIDs) shortened for the table; the full id is in the link and its title. */
function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}

function filterUrl(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const query = search.toString();
  return query ? `/staff/audit?${query}` : '/staff/audit';
}

@Controller('staff/audit')
@Roles('staff_admin', 'staff_reviewer')
export class AuditPagesController {
  constructor(
    private readonly audit: AuditService,
    private readonly pages: PageRenderer,
  ) {}

  /** The audit trail with a filter form; staff admins can also verify the chain from here. */
  @Get()
  async index(@Auth() auth: AuthContext, @Req() req: Request, @Res() res: Response): Promise<void> {
    const locale = req.locale ?? 'zh-CN';
    const input = filledIn(req.query);
    const { value, errors } = await validateForm(AuditPageQueryDto, input, { allow: ['lang'] });
    const canVerify = auth.user.role === 'staff_admin';
    if (value.verify === '1' && !canVerify) throw new CommonError('FORBIDDEN');

    const labels = Object.fromEntries(
      FIELDS.map((f) => [f, translate(locale, `audit.filter.${f}`)]),
    ) as Record<Field, string>;
    const filters = Object.fromEntries(
      FIELDS.map((f) => [f, typeof input[f] === 'string' ? input[f] : null]),
    ) as Record<Field, string | null>;
    // The form stays folded away until someone filters (or gets a filter wrong).
    const filterOpen = errors.length > 0 || FIELDS.some((f) => filters[f] !== null);
    const base = {
      titleKey: 'audit.title',
      filters,
      labels,
      canVerify,
      filterOpen,
      resetUrl: '/staff/audit',
    };

    if (errors.length > 0) {
      const model = {
        ...base,
        ...formErrors(locale, FIELDS, errors, { labels }),
        items: [],
        nextUrl: null,
        verification: null,
      };
      return this.pages.send(req, res, 'audit/index', model, 400);
    }

    const page = await this.audit.list({
      action: value.action,
      subjectType: value.subjectType,
      subjectId: value.subjectId,
      actorId: value.actorId,
      from: value.from ? new Date(`${value.from}T00:00:00${BEIJING_OFFSET}`) : undefined,
      to: value.to
        ? new Date(Date.parse(`${value.to}T00:00:00${BEIJING_OFFSET}`) + DAY_MS)
        : undefined,
      before: value.before,
      limit: AUDIT_PAGE_DEFAULT,
    });
    const current = {
      action: value.action,
      subjectType: value.subjectType,
      subjectId: value.subjectId,
      actorId: value.actorId,
      from: value.from,
      to: value.to,
    };
    const verification =
      value.verify === '1' ? this.describe(locale, await this.audit.verify()) : null;
    this.pages.send(req, res, 'audit/index', {
      ...base,
      ...formErrors(locale, FIELDS, []),
      items: page.items.map((item) => this.row(locale, item)),
      nextUrl: page.nextCursor === null ? null : filterUrl({ ...current, before: page.nextCursor }),
      verification,
    });
  }

  private row(locale: Locale, item: AuditEventItem): object {
    return {
      seq: item.seq,
      id: item.id,
      occurredAt: item.occurredAt,
      actorId: item.actorId,
      actorIdShort: item.actorId ? shortId(item.actorId) : null,
      actorRole: roleLabel(locale, item.actorRole),
      actorUrl: item.actorId ? filterUrl({ actorId: item.actorId }) : null,
      action: item.action,
      actionUrl: filterUrl({ action: item.action }),
      subjectType: item.subjectType,
      subjectId: item.subjectId,
      subjectIdShort: shortId(item.subjectId),
      subjectUrl: filterUrl({ subjectType: item.subjectType, subjectId: item.subjectId }),
      summary: typeof item.summary === 'string' ? item.summary : canonicalJson(item.summary),
      ip: item.ip,
      requestId: item.requestId,
      hash: item.hash,
      hashShort: item.hash.slice(0, 12),
      prevHash: item.prevHash,
    };
  }

  private describe(locale: Locale, result: VerifyResult): object {
    const broken = result.firstBreak;
    return {
      ok: result.ok,
      kind: result.ok ? 'success' : 'error',
      message: broken
        ? translate(locale, 'audit.verify.broken', {
            seq: broken.seq,
            id: broken.id,
            reason: translate(locale, `audit.verify.reason.${broken.reason}`),
            checked: result.checked,
          })
        : translate(locale, 'audit.verify.ok', { checked: result.checked }),
      // The page that starts with the broken event, so it can be looked at at once.
      breakUrl: broken ? filterUrl({ before: broken.seq + 1 }) : null,
    };
  }
}
