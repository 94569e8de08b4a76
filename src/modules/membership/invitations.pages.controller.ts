import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../../common/auth/decorators.js';
import type { FieldError } from '../../common/errors/domain-error.js';
import { requestMeta } from '../../common/http/request-context.js';
import { validateForm } from '../../common/http/validation.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { fieldError, formErrors } from '../../common/views/form-errors.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { UsersError } from '../users/users.errors.js';
import { ColleaguesService, type InvitationPreview } from './colleagues.service.js';
import { AcceptInvitationDto } from './dto/accept-invitation.dto.js';
import { bodyOf, localeOf, roleLabel, text } from './firm-portal.view.js';
import { MembershipError } from './membership.errors.js';

const FIELDS = ['name', 'password', 'confirmPassword'] as const;

function labels(locale: Locale): Record<(typeof FIELDS)[number], string> {
  return {
    name: translate(locale, 'colleagues.accept.name'),
    password: translate(locale, 'colleagues.accept.password'),
    confirmPassword: translate(locale, 'colleagues.accept.confirmPassword'),
  };
}

function catalogueError(field: string, code: string, key: string): FieldError {
  return fieldError(field, code, translate('zh-CN', key), translate('en', key));
}

/**
 * The page an invitation e-mail links to: the invitee sees which firm invited them, chooses a
 * name and password, and then signs in like anyone else. The link is checked when the page
 * opens (so an expired one says so at once) and again, atomically, when the form is sent.
 */
@Controller('invitations')
@Public()
export class InvitationsPagesController {
  constructor(
    private readonly colleagues: ColleaguesService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('accept')
  async form(@Req() req: Request, @Res() res: Response): Promise<void> {
    const token = text(req.query.token, 200);
    const invitation = await this.colleagues.preview(token);
    if (!invitation) return this.invalid(req, res);
    this.render(req, res, token, invitation, { name: '' }, [], 200);
  }

  @Post('accept')
  async accept(@Req() req: Request, @Res() res: Response): Promise<void> {
    const body = bodyOf(req);
    const token = text(body.token, 200);
    const values = { name: text(body.name, 200).trim() };
    const invitation = await this.colleagues.preview(token);
    if (!invitation) return this.invalid(req, res);
    const password = text(body.password, 200);
    const validated = await validateForm(AcceptInvitationDto, {
      token,
      name: values.name,
      password,
    });
    const problems: FieldError[] = [];
    if (values.name === '')
      problems.push(catalogueError('name', 'isNotEmpty', 'colleagues.accept.error.name'));
    if (password.length < 8 || password.length > 128)
      problems.push(catalogueError('password', 'length', 'colleagues.accept.error.passwordLength'));
    else if (text(body.confirmPassword, 200) !== password)
      problems.push(
        catalogueError('confirmPassword', 'mismatch', 'colleagues.accept.error.mismatch'),
      );
    for (const error of validated.errors) {
      if (!problems.some((p) => p.field === error.field) && error.field !== 'token')
        problems.push(error);
    }
    if (problems.length > 0) return this.render(req, res, token, invitation, values, problems, 400);
    try {
      await this.colleagues.accept(validated.value, localeOf(req), requestMeta(req));
    } catch (error) {
      if (error instanceof MembershipError && error.code === 'INVITATION_INVALID')
        return this.invalid(req, res);
      if (error instanceof UsersError) {
        const field = error.code.startsWith('PASSWORD_') ? 'password' : null;
        const problem = fieldError(field ?? 'name', error.code, error.spec.zh, error.spec.en);
        return this.render(req, res, token, invitation, values, [problem], error.spec.status);
      }
      throw error;
    }
    this.pages.send(req, res, 'invitations/notice', {
      titleKey: 'colleagues.accept.done.title',
      kind: 'success',
      message: translate(localeOf(req), 'colleagues.accept.done.message', {
        firm: invitation.firmName,
        email: invitation.email,
      }),
      link: { href: '/sign-in', label: translate(localeOf(req), 'colleagues.accept.signIn') },
    });
  }

  private invalid(req: Request, res: Response): void {
    this.pages.send(
      req,
      res,
      'invitations/notice',
      {
        titleKey: 'colleagues.accept.invalid.title',
        kind: 'error',
        message: translate(localeOf(req), 'colleagues.accept.invalid.message'),
        link: { href: '/', label: translate(localeOf(req), 'colleagues.accept.home') },
      },
      400,
    );
  }

  private render(
    req: Request,
    res: Response,
    token: string,
    invitation: InvitationPreview,
    values: { name: string },
    problems: FieldError[],
    status: number,
  ): void {
    const locale = localeOf(req);
    const { errors, errorList } = formErrors(locale, FIELDS, problems, { labels: labels(locale) });
    this.pages.send(
      req,
      res,
      'invitations/accept',
      {
        titleKey: 'colleagues.accept.title',
        token,
        invitation: {
          firmName: invitation.firmName,
          email: invitation.email,
          roleLabel: roleLabel(locale, invitation.role),
          expiresAt: invitation.expiresAt,
        },
        values,
        errors,
        errorList,
      },
      status,
    );
  }
}
