import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { OptionalAuth, Public } from '../../common/auth/decorators.js';
import type { FieldError } from '../../common/errors/domain-error.js';
import { requestMeta } from '../../common/http/request-context.js';
import { validateForm } from '../../common/http/validation.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { formErrors } from '../../common/views/form-errors.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { AppConfig } from '../../config/app-config.js';
import { DISTRICT_KEYS, DISTRICTS } from '../membership/districts.js';
import { MembershipError } from '../membership/membership.errors.js';
import type { User } from '../users/entities/user.entity.js';
import { UsersError } from '../users/users.errors.js';
import { AuthService } from './auth.service.js';
import { RegisterComplainantDto } from './dto/register-complainant.dto.js';
import { RegisterFirmDto } from './dto/register-firm.dto.js';
import { bodyOf, domainFieldError, localeOf, pageFieldErrors, text } from './page-forms.js';
import { RegistrationService } from './registration.service.js';
import { setSessionCookie } from './session-cookie.js';

const COMPLAINANT_FIELDS = ['name', 'email', 'password'] as const;
const FIRM_FIELDS = [
  'firmName',
  'firmNameEn',
  'creditCode',
  'district',
  'name',
  'email',
  'password',
] as const;
type ComplainantField = (typeof COMPLAINANT_FIELDS)[number];
type FirmField = (typeof FIRM_FIELDS)[number];

const WORDING: Record<string, string> = {
  'email.isEmail': 'register.error.email',
  'password.minLength': 'register.error.passwordLength',
  'password.maxLength': 'register.error.passwordLength',
  'district.isIn': 'register.error.district',
  'district.isNotEmpty': 'register.error.district',
};

function labels(locale: Locale): Record<FirmField, string> {
  return {
    firmName: translate(locale, 'register.field.firmName'),
    firmNameEn: translate(locale, 'register.field.firmNameEn'),
    creditCode: translate(locale, 'register.field.creditCode'),
    district: translate(locale, 'register.field.district'),
    name: translate(locale, 'register.field.name'),
    email: translate(locale, 'register.field.email'),
    password: translate(locale, 'register.field.password'),
  };
}

/** Which form field a service refusal is about; null for refusals this form does not expect. */
function fieldFor(error: unknown): FirmField | null {
  if (error instanceof UsersError) {
    if (error.code === 'EMAIL_TAKEN') return 'email';
    if (error.code.startsWith('PASSWORD_')) return 'password';
  }
  if (error instanceof MembershipError && error.code.startsWith('CREDIT_CODE_'))
    return 'creditCode';
  return null;
}

/**
 * Sign-up pages: the choice, the complainant form and the firm form. A successful sign-up signs
 * the new user in; the verification e-mail is on its way.
 */
@Controller('register')
@Public()
export class RegistrationPagesController {
  constructor(
    private readonly registration: RegistrationService,
    private readonly auth: AuthService,
    private readonly pages: PageRenderer,
    private readonly config: AppConfig,
  ) {}

  @Get()
  choose(@Req() req: Request, @Res() res: Response): void {
    this.pages.send(req, res, 'auth/register', { titleKey: 'register.title' });
  }

  @Get('complainant')
  complainantForm(@Req() req: Request, @Res() res: Response): void {
    this.renderComplainant(req, res, { name: '', email: '' }, [], 200);
  }

  @Post('complainant')
  async registerComplainant(
    @OptionalAuth() current: AuthContext | null,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const body = bodyOf(req);
    const values = { name: text(body.name, 100), email: text(body.email, 254) };
    const validated = await validateForm(RegisterComplainantDto, body);
    const problems = pageFieldErrors(body, COMPLAINANT_FIELDS, labels, validated.errors, WORDING);
    if (problems.length > 0) return this.renderComplainant(req, res, values, problems, 400);
    let user: User;
    try {
      user = await this.registration.registerComplainant(
        { ...validated.value, locale: localeOf(req) },
        requestMeta(req),
      );
    } catch (error) {
      const field = fieldFor(error);
      if (!field || !(error instanceof UsersError)) throw error;
      return this.renderComplainant(
        req,
        res,
        values,
        [domainFieldError(field, error)],
        error.spec.status,
      );
    }
    await this.signInAndGoHome(current, user, req, res);
  }

  @Get('firm')
  firmForm(@Req() req: Request, @Res() res: Response): void {
    const empty = {
      firmName: '',
      firmNameEn: '',
      creditCode: '',
      district: '',
      name: '',
      email: '',
    };
    this.renderFirm(req, res, empty, [], 200);
  }

  @Post('firm')
  async registerFirm(
    @OptionalAuth() current: AuthContext | null,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const body = bodyOf(req);
    const values = {
      firmName: text(body.firmName, 200),
      firmNameEn: text(body.firmNameEn, 200),
      creditCode: text(body.creditCode, 32),
      district: text(body.district, 32),
      name: text(body.name, 100),
      email: text(body.email, 254),
    };
    // An empty optional field arrives as '' from a form; the API would treat it as absent.
    const form = {
      ...body,
      firmNameEn: values.firmNameEn.trim() === '' ? undefined : body.firmNameEn,
    };
    const validated = await validateForm(RegisterFirmDto, form);
    const required = FIRM_FIELDS.filter((f) => f !== 'firmNameEn');
    const problems = pageFieldErrors(body, required, labels, validated.errors, WORDING);
    if (problems.length > 0) return this.renderFirm(req, res, values, problems, 400);
    let user: User;
    try {
      ({ user } = await this.registration.registerFirm(
        { ...validated.value, locale: localeOf(req) },
        requestMeta(req),
      ));
    } catch (error) {
      const field = fieldFor(error);
      if (!field || !(error instanceof UsersError || error instanceof MembershipError)) throw error;
      return this.renderFirm(req, res, values, [domainFieldError(field, error)], error.spec.status);
    }
    await this.signInAndGoHome(current, user, req, res);
  }

  private async signInAndGoHome(
    current: AuthContext | null,
    user: User,
    req: Request,
    res: Response,
  ): Promise<void> {
    const meta = requestMeta(req);
    // Whoever was signed in on this browser before is replaced by the new account.
    if (current) await this.auth.signOut(current, meta);
    const result = await this.auth.signIn(user, 'web', meta);
    setSessionCookie(res, result.token, this.config);
    this.pages.redirect(res, '/');
  }

  private renderComplainant(
    req: Request,
    res: Response,
    values: Record<Exclude<ComplainantField, 'password'>, string>,
    problems: FieldError[],
    status: number,
  ): void {
    const locale = localeOf(req);
    const { errors, errorList } = formErrors(locale, COMPLAINANT_FIELDS, problems, {
      labels: labels(locale),
    });
    this.pages.send(
      req,
      res,
      'auth/register-complainant',
      { titleKey: 'register.complainant.title', values, errors, errorList },
      status,
    );
  }

  private renderFirm(
    req: Request,
    res: Response,
    values: Record<Exclude<FirmField, 'password'>, string>,
    problems: FieldError[],
    status: number,
  ): void {
    const locale = localeOf(req);
    const { errors, errorList } = formErrors(locale, FIRM_FIELDS, problems, {
      labels: labels(locale),
    });
    const districts = DISTRICT_KEYS.map((key) => ({
      value: key,
      label: locale === 'en' ? DISTRICTS[key].en : DISTRICTS[key].zh,
      selected: values.district === key,
    }));
    this.pages.send(
      req,
      res,
      'auth/register-firm',
      { titleKey: 'register.firm.title', values, errors, errorList, districts },
      status,
    );
  }
}
