import { Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import { requestMeta } from '../../common/http/request-context.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { bodyOf, text } from '../auth/page-forms.js';
import { runTicketAction } from './ticket-page-actions.js';
import { WORKFLOW_TEXT_MAX, WorkflowService } from './workflow.service.js';

/** The version the form was rendered with (hidden `version`); absent or garbled: unchecked. */
function formVersion(body: Record<string, unknown>): number | undefined {
  const value = Number(text(body.version, 12));
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/** The workflow section's forms on the ticket page; each redirects back with a notice. */
@ApiExcludeController()
@Controller('disputes/tickets/:id')
export class WorkflowPagesController {
  constructor(
    private readonly workflow: WorkflowService,
    private readonly pages: PageRenderer,
  ) {}

  private run(
    req: Request,
    res: Response,
    id: string,
    work: (body: Record<string, unknown>, expectedVersion: number | undefined) => Promise<unknown>,
    done: string,
  ): Promise<void> {
    const body = bodyOf(req);
    return runTicketAction(this.pages, res, id, 'workflow', async () => {
      await work(body, formVersion(body));
      return `workflow.done.${done}`;
    });
  }

  @Post('accept')
  accept(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.run(
      req,
      res,
      id,
      (_, v) => this.workflow.accept(auth.user, id, { expectedVersion: v }, requestMeta(req)),
      'accepted',
    );
  }

  @Post('reject')
  reject(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.run(
      req,
      res,
      id,
      (b, v) =>
        this.workflow.reject(
          auth.user,
          id,
          { expectedVersion: v, reason: text(b.reason, 40), note: text(b.note, WORKFLOW_TEXT_MAX) },
          requestMeta(req),
        ),
      'rejected',
    );
  }

  @Post('respond')
  respond(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.run(
      req,
      res,
      id,
      (b, v) =>
        this.workflow.respond(
          auth.user,
          id,
          { expectedVersion: v, response: text(b.response, WORKFLOW_TEXT_MAX) },
          requestMeta(req),
        ),
      'responded',
    );
  }

  @Post('withdraw')
  withdraw(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.run(
      req,
      res,
      id,
      (b, v) =>
        this.workflow.withdraw(
          auth.user,
          id,
          { expectedVersion: v, reason: text(b.reason, WORKFLOW_TEXT_MAX) },
          requestMeta(req),
        ),
      'withdrawn',
    );
  }

  @Post('fail')
  fail(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.run(
      req,
      res,
      id,
      (b, v) =>
        this.workflow.fail(
          auth.user,
          id,
          { expectedVersion: v, reason: text(b.reason, WORKFLOW_TEXT_MAX) },
          requestMeta(req),
        ),
      'failed',
    );
  }

  @Post('close')
  close(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.run(
      req,
      res,
      id,
      (_, v) => this.workflow.close(auth.user, id, { expectedVersion: v }, requestMeta(req)),
      'closed',
    );
  }

  @Post('extension/request')
  requestExtension(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.run(
      req,
      res,
      id,
      (_, v) =>
        this.workflow.requestExtension(auth.user, id, { expectedVersion: v }, requestMeta(req)),
      'extensionRequested',
    );
  }

  @Post('extension/consent')
  consentExtension(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.run(
      req,
      res,
      id,
      (_, v) =>
        this.workflow.consentExtension(auth.user, id, { expectedVersion: v }, requestMeta(req)),
      'extensionConsented',
    );
  }
}
