import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor, AuthContext } from '../../common/auth/auth-context.js';
import { Auth, Roles } from '../../common/auth/decorators.js';
import { CommonError, DomainError } from '../../common/errors/domain-error.js';
import { requestMeta } from '../../common/http/request-context.js';
import { validateForm } from '../../common/http/validation.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { bodyOf, localeOf, text } from '../auth/page-forms.js';
import { FirmsService } from '../membership/firms.service.js';
import { UsersService } from '../users/users.service.js';
import { AssignmentService } from './assignment.service.js';
import { COMPLAINT_CATEGORIES } from './categories.js';
import { disputesErrorSpec } from './disputes.errors.js';
import { CreateAffiliationDto } from './dto/mediator-affiliation.dto.js';
import { UpdateMediatorDto } from './dto/mediator-profile.dto.js';
import { AFFILIATION_RELATIONS } from './entities/mediator-affiliation.entity.js';
import { MediatorsService, type MediatorView } from './mediators.service.js';
import { ticketNotice, ticketPath } from './ticket-page-actions.js';

/** A form's comma- or space-separated list. */
function listOf(value: unknown): string[] {
  const values = Array.isArray(value) ? value : [value];
  return values
    .flatMap((v) => text(v, 500).split(/[\s,，、]+/))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** Runs a form's work and redirects with ?done= or ?error= (refusals only; others propagate). */
async function redirectAfter(
  pages: PageRenderer,
  res: Response,
  back: string,
  done: string,
  work: () => Promise<unknown>,
): Promise<void> {
  try {
    await work();
    pages.redirect(res, `${back}?done=${encodeURIComponent(done)}`);
  } catch (error) {
    const code = error instanceof DomainError ? String(error.code) : '';
    const refusal =
      error instanceof DomainError &&
      error.spec.status >= 400 &&
      error.spec.status < 500 &&
      error.spec.status !== 401 &&
      (disputesErrorSpec(code) !== null || code === 'CONFLICT' || code === 'VALIDATION_FAILED');
    if (!refusal) throw error;
    pages.redirect(res, `${back}?error=${encodeURIComponent(code)}`);
  }
}

/** Staff's mediator list and profile pages, a mediator's own profile, and the open pool. */
@ApiExcludeController()
@Controller()
export class MediatorsPagesController {
  constructor(
    private readonly mediators: MediatorsService,
    private readonly assignment: AssignmentService,
    private readonly users: UsersService,
    private readonly firms: FirmsService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('staff/mediators')
  @Roles('staff_admin', 'staff_reviewer')
  async list(
    @Auth() auth: AuthContext,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const locale = localeOf(req);
    const items = (await this.mediators.list()).map((m) => ({
      ...m,
      statusLabel: translate(locale, `disputes.mediation.mediators.status.${m.status}`),
      conflicts: m.affiliations.filter((a) => a.conflicting).length,
    }));
    this.pages.send(req, res, 'disputes/mediators', {
      titleKey: 'disputes.mediation.mediators.title',
      items,
      canCreate: auth.user.role === 'staff_admin',
      notice: ticketNotice(locale, query),
    });
  }

  @Post('staff/mediators')
  @Roles('staff_admin')
  create(@Auth() auth: AuthContext, @Req() req: Request, @Res() res: Response) {
    const body = bodyOf(req);
    return redirectAfter(
      this.pages,
      res,
      '/staff/mediators',
      'mediation.mediators.saved',
      async () => {
        const user = await this.users.findByEmail(text(body.email, 254));
        if (!user) throw new CommonError('VALIDATION_FAILED');
        return this.mediators.create(auth.user, { userId: user.id }, requestMeta(req));
      },
    );
  }

  @Get('staff/mediators/:userId')
  @Roles('staff_admin', 'staff_reviewer')
  async staffProfile(
    @Auth() auth: AuthContext,
    @Param('userId') userId: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const profile = await this.mediators.get(auth.user, userId);
    await this.renderProfile(
      req,
      res,
      auth.user,
      profile,
      `/staff/mediators/${profile.userId}`,
      query,
    );
  }

  @Get('mediator/profile')
  @Roles('mediator')
  async ownProfile(
    @Auth() auth: AuthContext,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const profile = await this.mediators.get(auth.user, auth.user.id).catch(() => null);
    await this.renderProfile(req, res, auth.user, profile, '/mediator/profile', query);
  }

  @Post('staff/mediators/:userId')
  @Roles('staff_admin')
  staffSave(
    @Auth() auth: AuthContext,
    @Param('userId') userId: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.save(auth.user, userId, `/staff/mediators/${userId}`, req, res);
  }

  @Post('mediator/profile')
  @Roles('mediator')
  ownSave(@Auth() auth: AuthContext, @Req() req: Request, @Res() res: Response) {
    return this.save(auth.user, auth.user.id, '/mediator/profile', req, res);
  }

  @Post('staff/mediators/:userId/affiliations')
  @Roles('staff_admin')
  staffAddAffiliation(
    @Auth() auth: AuthContext,
    @Param('userId') userId: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.addAffiliation(auth.user, userId, `/staff/mediators/${userId}`, req, res);
  }

  @Post('mediator/profile/affiliations')
  @Roles('mediator')
  ownAddAffiliation(@Auth() auth: AuthContext, @Req() req: Request, @Res() res: Response) {
    return this.addAffiliation(auth.user, auth.user.id, '/mediator/profile', req, res);
  }

  @Post('staff/mediators/:userId/affiliations/:id/remove')
  @Roles('staff_admin')
  staffRemoveAffiliation(
    @Auth() auth: AuthContext,
    @Param('userId') userId: string,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return redirectAfter(
      this.pages,
      res,
      `/staff/mediators/${userId}`,
      'mediation.mediators.saved',
      () => this.mediators.removeAffiliation(auth.user, userId, id, requestMeta(req)),
    );
  }

  @Post('mediator/profile/affiliations/:id/remove')
  @Roles('mediator')
  ownRemoveAffiliation(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return redirectAfter(this.pages, res, '/mediator/profile', 'mediation.mediators.saved', () =>
      this.mediators.removeAffiliation(auth.user, auth.user.id, id, requestMeta(req)),
    );
  }

  @Get('mediator/pool')
  @Roles('mediator')
  async pool(
    @Auth() auth: AuthContext,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const locale = localeOf(req);
    const items = await this.assignment.pool(auth.user);
    const names = await this.firms.namesByIds(
      [...new Set(items.map((i) => i.firmId ?? ''))].filter(Boolean),
    );
    this.pages.send(req, res, 'disputes/pool', {
      titleKey: 'disputes.mediation.pool.title',
      items: items.map((i) => ({
        ...i,
        categoryLabel: i.category ? translate(locale, `disputes.category.${i.category}`) : '',
        firmName: (i.firmId && names.get(i.firmId)?.name) ?? '',
      })),
      notice: ticketNotice(locale, query),
    });
  }

  /** Taking a ticket from the pool: to the ticket page when it worked, back to the pool if not. */
  @Post('mediator/pool/:id/accept')
  @Roles('mediator')
  async takeFromPool(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const body = bodyOf(req);
    const version = Number(text(body.version, 12));
    try {
      await this.assignment.accept(
        auth.user,
        id,
        body.noConflict === 'yes',
        Number.isInteger(version) && version > 0 ? version : undefined,
        requestMeta(req),
      );
    } catch (error) {
      if (error instanceof DomainError && error.spec.status >= 400 && error.spec.status < 500)
        return this.pages.redirect(
          res,
          `/mediator/pool?error=${encodeURIComponent(String(error.code))}`,
        );
      throw error;
    }
    this.pages.redirect(res, `${ticketPath(id)}?done=mediation.done.accepted#mediator`);
  }

  private async save(
    actor: Actor,
    userId: string,
    back: string,
    req: Request,
    res: Response,
  ): Promise<void> {
    const body = bodyOf(req);
    const input: Record<string, unknown> = {
      languages: listOf(body.languages),
      specialities: listOf(body.specialities),
      bio: text(body.bio, 2000),
    };
    if (actor.role === 'staff_admin') input.status = text(body.status, 12);
    await redirectAfter(this.pages, res, back, 'mediation.mediators.saved', async () => {
      const form = await validateForm(UpdateMediatorDto, input);
      if (form.errors.length > 0) throw new CommonError('VALIDATION_FAILED');
      const version = Number(text(body.version, 12));
      return this.mediators.update(
        actor,
        userId,
        {
          ...form.value,
          expectedVersion: Number.isInteger(version) && version > 0 ? version : undefined,
        },
        requestMeta(req),
      );
    });
  }

  private async addAffiliation(
    actor: Actor,
    userId: string,
    back: string,
    req: Request,
    res: Response,
  ): Promise<void> {
    const body = bodyOf(req);
    const endedOn = text(body.endedOn, 10);
    const input = {
      firmId: text(body.firmId, 36),
      relation: text(body.relation, 16),
      endedOn: endedOn === '' ? null : endedOn,
      note: text(body.note, 500) || null,
    };
    await redirectAfter(this.pages, res, back, 'mediation.mediators.saved', async () => {
      const form = await validateForm(CreateAffiliationDto, input);
      if (form.errors.length > 0) throw new CommonError('VALIDATION_FAILED');
      return this.mediators.addAffiliation(actor, userId, form.value, requestMeta(req));
    });
  }

  private async renderProfile(
    req: Request,
    res: Response,
    actor: Actor,
    profile: MediatorView | null,
    actionBase: string,
    query: Record<string, unknown>,
  ): Promise<void> {
    const locale: Locale = localeOf(req);
    const t = (key: string): string => translate(locale, key);
    const memberIds = await this.firms.currentMemberIds(this.mediatorsManager());
    const names = await this.firms.namesByIds(memberIds);
    const firms = memberIds
      .map((id) => ({ id, name: names.get(id)?.name ?? id }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const chosen = new Set(profile?.specialities ?? []);
    this.pages.send(req, res, 'disputes/mediator-profile', {
      titleKey:
        actor.role === 'mediator'
          ? 'disputes.mediation.profile.title'
          : 'disputes.mediation.mediators.title',
      profile: profile
        ? {
            ...profile,
            languagesText: profile.languages.join(', '),
            affiliations: profile.affiliations.map((a) => ({
              ...a,
              relationLabel: t(`disputes.mediation.affiliations.relation.${a.relation}`),
            })),
          }
        : null,
      isStaff: actor.role !== 'mediator',
      canEdit: actor.role === 'staff_admin' || actor.role === 'mediator',
      canSetStatus: actor.role === 'staff_admin',
      actionBase,
      categories: COMPLAINT_CATEGORIES.map((c) => ({
        value: c,
        label: t(`disputes.category.${c}`),
        checked: chosen.has(c),
      })),
      relations: AFFILIATION_RELATIONS.map((r) => ({
        value: r,
        label: t(`disputes.mediation.affiliations.relation.${r}`),
      })),
      statuses: (['active', 'inactive'] as const).map((s) => ({
        value: s,
        label: t(`disputes.mediation.mediators.status.${s}`),
        selected: profile?.status === s,
      })),
      firms,
      notice: ticketNotice(locale, query),
    });
  }

  private mediatorsManager() {
    return this.mediators.readManager();
  }
}
