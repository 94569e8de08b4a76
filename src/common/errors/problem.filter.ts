import {
  Catch,
  HttpException,
  Injectable,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { JsonLogger } from '../logging/json-logger.js';
import { PageRenderer } from '../views/page-renderer.service.js';
import { CommonError, DomainError, ValidationFailed, type FieldError } from './domain-error.js';

export const PROBLEM_TYPE_BASE = 'https://szifa.org.cn/problems/';

/** An RFC 9457 problem document, extended with our code and bilingual messages. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  message: { 'zh-CN': string; en: string };
  requestId?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** Anything thrown, seen as a domain error (Nest's own HTTP errors mapped to common codes). */
export function asDomainError(exception: unknown): DomainError {
  if (exception instanceof DomainError) return exception as DomainError;
  if (exception instanceof HttpException) {
    const status: number = exception.getStatus();
    switch (status) {
      case 404:
        return new CommonError('NOT_FOUND');
      case 403:
        return new CommonError('FORBIDDEN');
      case 401:
        return new CommonError('UNAUTHENTICATED');
      case 413:
        return new CommonError('PAYLOAD_TOO_LARGE');
      case 429:
        return new CommonError('RATE_LIMITED');
      case 409:
        return new CommonError('CONFLICT');
      case 400:
        return new ValidationFailed([
          {
            field: '',
            code: 'badRequest',
            message: { 'zh-CN': '请求格式不正确。', en: exception.message },
          },
        ]);
      default:
        return new CommonError('INTERNAL');
    }
  }
  const status = (exception as { status?: unknown; type?: unknown } | null)?.status;
  // body-parser errors (malformed JSON, body over the limit) carry an HTTP status.
  if (status === 413) return new CommonError('PAYLOAD_TOO_LARGE');
  if (status === 400) {
    return new ValidationFailed([
      {
        field: '',
        code: 'malformedBody',
        message: { 'zh-CN': '请求体不是有效的 JSON。', en: 'The request body is not valid JSON.' },
      },
    ]);
  }
  return new CommonError('INTERNAL');
}

export function toProblem(error: DomainError, request: Request): Problem {
  const problem: Problem = {
    type: PROBLEM_TYPE_BASE + error.code.toLowerCase().replace(/_/g, '-'),
    title: error.spec.en,
    status: error.spec.status,
    detail: request.locale === 'en' ? error.spec.en : error.spec.zh,
    instance: request.originalUrl.split('?')[0],
    code: error.code,
    message: { 'zh-CN': error.spec.zh, en: error.spec.en },
    requestId: request.requestId,
  };
  if (error instanceof ValidationFailed) problem.errors = error.fieldErrors;
  if (error.details) {
    for (const [key, value] of Object.entries(error.details)) {
      if (!(key in problem)) problem[key] = value;
    }
  }
  return problem;
}

/**
 * The one place errors become responses: problem+json for the API, a readable page (or a
 * redirect to sign-in) for the web. Every refusal is logged; unexpected errors with their stack.
 */
@Catch()
@Injectable()
export class ProblemFilter implements ExceptionFilter {
  constructor(
    private readonly pages: PageRenderer,
    private readonly logger: JsonLogger,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const error = asDomainError(exception);
    const status = error.spec.status;
    this.log(exception, error, request);
    if (response.headersSent) return;

    const retryAfter = error.details?.retryAfterSeconds;
    if (typeof retryAfter === 'number') response.setHeader('Retry-After', String(retryAfter));

    if (!request.path.startsWith('/api/') && this.wantsHtml(request)) {
      this.sendPage(request, response, error);
      return;
    }
    response
      .status(status)
      .type('application/problem+json')
      .send(JSON.stringify(toProblem(error, request)));
  }

  private wantsHtml(request: Request): boolean {
    if (request.path === '/health' || request.path.startsWith('/health/')) return false;
    const accept = request.headers.accept ?? '';
    return accept === '' || accept.includes('text/html') || accept.includes('*/*');
  }

  private sendPage(request: Request, response: Response, error: DomainError): void {
    if (error.code === 'UNAUTHENTICATED' || error.code === 'SESSION_INVALID') {
      const next = encodeURIComponent(request.originalUrl);
      return this.pages.redirect(response, `/sign-in?next=${next}`);
    }
    if (error.code === 'MFA_PENDING') {
      const step = error.details?.pendingStep;
      return this.pages.redirect(response, step === 'mfa_enrol' ? '/account/mfa' : '/sign-in/mfa');
    }
    const message = request.locale === 'en' ? error.spec.en : error.spec.zh;
    this.pages.send(
      request,
      response,
      'error',
      { titleKey: 'error.title', status: error.spec.status, message, code: error.code },
      error.spec.status,
    );
  }

  private log(exception: unknown, error: DomainError, request: Request): void {
    const status = error.spec.status;
    const fields = {
      requestId: request.requestId,
      method: request.method,
      path: request.path,
      status,
      code: error.code,
      userId: request.auth?.user.id ?? null,
      role: request.auth?.user.role ?? null,
      ip: request.ip ?? null,
    };
    if (status >= 500) {
      const err = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.event('error', 'http.error', { ...fields, error: err.message, stack: err.stack });
    } else if (status === 401 || status === 403 || status === 404 || status === 429) {
      this.logger.event('warn', 'access.denied', fields);
    }
  }
}
