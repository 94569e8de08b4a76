import { ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import express from 'express';
import helmet from 'helmet';
import { resolve } from 'node:path';
import { AppModule } from './app.module.js';
import { ValidationFailed } from './common/errors/domain-error.js';
import { requestContext } from './common/http/request-context.js';
import { toFieldErrors, VALIDATION_OPTIONS } from './common/http/validation.js';
import { JsonLogger } from './common/logging/json-logger.js';
import type { AppConfig } from './config/app-config.js';
import { resolveAppSecret } from './config/secrets.js';

/** Request bodies above this are refused with 413 (uploads have their own limits). */
export const BODY_LIMIT = '256kb';

/** Builds the application with every cross-cutting concern; used by main.ts and the tests. */
export async function createApp(
  config: AppConfig,
  logger = new JsonLogger(config.LOG_LEVEL),
): Promise<NestExpressApplication> {
  const secret = resolveAppSecret(config);
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, secret, logger),
    {
      logger,
      bodyParser: false,
      abortOnError: false,
    },
  );
  const secureCookies = config.PUBLIC_URL.startsWith('https:');
  if (config.TRUST_PROXY) app.set('trust proxy', 1);
  app.disable('x-powered-by');
  const csp = (styleSrc: string[]) =>
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': styleSrc,
          'img-src': ["'self'", 'data:'],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
          'object-src': ["'none'"],
          'upgrade-insecure-requests': secureCookies ? [] : null,
        },
      },
      hsts: secureCookies,
    });
  // Swagger UI ships inline <style> blocks; only its pages get 'unsafe-inline' styles, never scripts.
  app.use('/api/docs', csp(["'self'", "'unsafe-inline'"]));
  app.use(/^(?!\/api\/docs)/, csp(["'self'"]));
  app.use(cookieParser());
  app.use(requestContext(logger, secureCookies));
  app.use(express.json({ limit: BODY_LIMIT }));
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT }));
  app.use(
    '/static',
    express.static(resolve(process.cwd(), 'public'), { maxAge: '1h', index: false }),
  );
  app.useGlobalPipes(
    new ValidationPipe({
      ...VALIDATION_OPTIONS,
      transform: true,
      exceptionFactory: (errors) => new ValidationFailed(toFieldErrors(errors)),
    }),
  );
  setUpOpenApi(app);
  app.enableShutdownHooks();
  return app;
}

function setUpOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('SZIFA Platform API')
      .setDescription(
        'Self-regulation platform of the Shenzhen Internet Finance Association (深圳市互联网金融协会). ' +
          'Errors are RFC 9457 application/problem+json with messages in zh-CN and English. ' +
          'Each operation states who may call it.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.Problem = {
    type: 'object',
    required: ['type', 'title', 'status', 'code', 'message'],
    properties: {
      type: { type: 'string', format: 'uri' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      instance: { type: 'string' },
      code: { type: 'string' },
      requestId: { type: 'string' },
      message: {
        type: 'object',
        properties: { 'zh-CN': { type: 'string' }, en: { type: 'string' } },
      },
      errors: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            field: { type: 'string' },
            code: { type: 'string' },
            message: {
              type: 'object',
              properties: { 'zh-CN': { type: 'string' }, en: { type: 'string' } },
            },
          },
        },
      },
    },
  };
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
