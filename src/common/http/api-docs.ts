import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { Public, Roles } from '../auth/decorators.js';
import type { Role } from '../auth/roles.js';

export interface ApiDoc {
  summary: string;
  /** 'public': anyone; 'signed-in': any role; otherwise the roles allowed. */
  access: 'public' | 'signed-in' | Role[];
  /** Domain error codes this operation can answer with, besides the access ones. */
  errors?: Array<[status: number, code: string]>;
  description?: string;
}

const PROBLEM = { $ref: '#/components/schemas/Problem' };

/**
 * One decorator for an API operation: its access rule (enforced by the global guard) and its
 * documentation (who may call it, which problems it answers) come from the same words.
 */
export function ApiDocumented(doc: ApiDoc): MethodDecorator {
  const who =
    doc.access === 'public'
      ? 'Public.'
      : doc.access === 'signed-in'
        ? 'Any signed-in user.'
        : `Roles: ${doc.access.join(', ')}.`;
  const decorators: Array<MethodDecorator | ClassDecorator> = [
    ApiOperation({
      summary: doc.summary,
      description: [who, doc.description].filter(Boolean).join(' '),
    }),
    ApiExtension('x-szifa-access', doc.access),
  ];
  if (doc.access === 'public') {
    decorators.push(Public());
  } else {
    decorators.push(ApiBearerAuth());
    decorators.push(
      ApiResponse({
        status: 401,
        description: 'UNAUTHENTICATED / SESSION_INVALID',
        content: { 'application/problem+json': { schema: PROBLEM } },
      }),
    );
    if (Array.isArray(doc.access)) {
      decorators.push(Roles(...doc.access));
      decorators.push(
        ApiResponse({
          status: 403,
          description: 'FORBIDDEN: role not allowed',
          content: { 'application/problem+json': { schema: PROBLEM } },
        }),
      );
    }
  }
  const byStatus = new Map<number, string[]>();
  for (const [status, code] of doc.errors ?? [])
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  for (const [status, codes] of byStatus) {
    decorators.push(
      ApiResponse({
        status,
        description: codes.join(' / '),
        content: { 'application/problem+json': { schema: PROBLEM } },
      }),
    );
  }
  return applyDecorators(...decorators);
}
