import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import { ApiDocumented } from '../../common/http/api-docs.js';
import { requestMeta } from '../../common/http/request-context.js';
import { ConflictsService, type ConflictView } from './conflicts.service.js';
import { DeclareConflictDto } from './dto/conflict.dto.js';
import { ProposeGradeDto, ReviewActionDto, ReviewCommentDto } from './dto/review.dto.js';
import { PublicationService, type PublishedRating } from './publication.service.js';
import { ReviewService, type QueueItem, type ReviewView } from './review.service.js';

const uuid = new ParseUUIDPipe();
const STAFF = ['staff_admin', 'staff_reviewer'] as const;
/** Refusals every review step can meet. */
const COMMON: Array<[number, string]> = [
  [400, 'VALIDATION_FAILED'],
  [403, 'REVIEWER_CONFLICT'],
  [404, 'SUBMISSION_NOT_FOUND'],
  [409, 'CONFLICT'],
  [409, 'TRANSITION_NOT_ALLOWED'],
];

/** The four-eyes review, publication and reviewers' declared links (issue 6 §4–5). */
@ApiTags('ratings')
@Controller('api/v1/ratings')
export class ReviewController {
  constructor(
    private readonly review: ReviewService,
    private readonly publication: PublicationService,
    private readonly conflicts: ConflictsService,
  ) {}

  @Get('reviews')
  @ApiDocumented({
    summary:
      'The review queue: submitted, proposed and confirmed submissions, without firms the viewer declared a link with',
    access: [...STAFF],
  })
  async queue(
    @Auth() auth: AuthContext,
    @Query('cycleId') cycleId?: string,
  ): Promise<{ items: QueueItem[] }> {
    return { items: await this.review.queue(auth.user, cycleId ?? null) };
  }

  @Get('submissions/:id/review')
  @ApiDocumented({
    summary:
      'A submission as reviewers read it: values, per-indicator breakdown (value, points, weight, weighted), total, computed grade, documents, history and the actions open to the viewer',
    access: [...STAFF],
    errors: [
      [403, 'REVIEWER_CONFLICT'],
      [404, 'SUBMISSION_NOT_FOUND'],
    ],
  })
  view(@Auth() auth: AuthContext, @Param('id', uuid) id: string): Promise<ReviewView> {
    return this.review.view(auth.user, id);
  }

  @Post('submissions/:id/return')
  @HttpCode(200)
  @ApiDocumented({
    summary: 'Return a submitted submission to the firm for correction (comment required)',
    access: [...STAFF],
    errors: [...COMMON, [400, 'COMMENT_REQUIRED']],
  })
  returnForCorrection(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Body() body: ReviewCommentDto,
    @Req() req: Request,
  ): Promise<ReviewView> {
    return this.review.returnForCorrection(
      auth.user,
      id,
      { comment: body.comment ?? '', expectedVersion: body.expectedVersion },
      requestMeta(req),
    );
  }

  @Post('submissions/:id/propose')
  @HttpCode(200)
  @ApiDocumented({
    summary:
      'Propose a grade; a written rationale is required when it differs from the computed grade',
    access: [...STAFF],
    errors: [...COMMON, [400, 'GRADE_INVALID'], [400, 'RATIONALE_REQUIRED']],
  })
  propose(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Body() body: ProposeGradeDto,
    @Req() req: Request,
  ): Promise<ReviewView> {
    return this.review.propose(auth.user, id, body, requestMeta(req));
  }

  @Post('submissions/:id/confirm')
  @HttpCode(200)
  @ApiDocumented({
    summary: 'Confirm the proposed grade (four eyes: a reviewer other than the proposer)',
    access: [...STAFF],
    errors: [...COMMON, [403, 'SAME_REVIEWER']],
  })
  confirm(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Body() body: ReviewActionDto,
    @Req() req: Request,
  ): Promise<ReviewView> {
    return this.review.confirm(auth.user, id, body, requestMeta(req));
  }

  @Post('submissions/:id/send-back')
  @HttpCode(200)
  @ApiDocumented({
    summary: 'Send a proposed grade back for review (comment required)',
    access: [...STAFF],
    errors: [...COMMON, [400, 'COMMENT_REQUIRED']],
  })
  sendBack(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Body() body: ReviewCommentDto,
    @Req() req: Request,
  ): Promise<ReviewView> {
    return this.review.sendBack(
      auth.user,
      id,
      { comment: body.comment ?? '', expectedVersion: body.expectedVersion },
      requestMeta(req),
    );
  }

  @Post('submissions/:id/publish')
  @HttpCode(200)
  @ApiDocumented({
    summary:
      "Publish a confirmed grade: the firm's current rating, effective today, expiring after RATING_VALIDITY_MONTHS; the previous one is superseded",
    access: ['staff_admin'],
    errors: COMMON,
  })
  publish(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Body() body: ReviewActionDto,
    @Req() req: Request,
  ): Promise<PublishedRating> {
    return this.publication.publish(auth.user, id, body, requestMeta(req));
  }

  @Get('conflicts')
  @ApiDocumented({
    summary: "Declared reviewer-firm links: one's own (staff admins see everyone's)",
    access: [...STAFF],
  })
  async listConflicts(@Auth() auth: AuthContext): Promise<{ items: ConflictView[] }> {
    return { items: await this.conflicts.list(auth.user) };
  }

  @Post('conflicts')
  @ApiDocumented({
    summary:
      'Declare a link with a firm: the reviewer may then not act on its submissions or appeals',
    access: [...STAFF],
    errors: [
      [400, 'VALIDATION_FAILED'],
      [404, 'NOT_FOUND'],
    ],
  })
  declare(
    @Auth() auth: AuthContext,
    @Body() body: DeclareConflictDto,
    @Req() req: Request,
  ): Promise<ConflictView> {
    return this.conflicts.declare(auth.user, body, requestMeta(req));
  }

  @Delete('conflicts/:id')
  @HttpCode(204)
  @ApiDocumented({
    summary: "Withdraw a declared link (one's own; staff admins any)",
    access: [...STAFF],
    errors: [[404, 'CONFLICT_NOT_FOUND']],
  })
  async removeConflict(
    @Auth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Req() req: Request,
  ): Promise<void> {
    await this.conflicts.remove(auth.user, id, requestMeta(req));
  }
}
