import {
  Controller,
  Injectable,
  Param,
  Post,
  Req,
  Res,
  UploadedFiles,
  UseInterceptors,
  type OnModuleInit,
} from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthContext } from '../../common/auth/auth-context.js';
import { Auth } from '../../common/auth/decorators.js';
import { requestMeta } from '../../common/http/request-context.js';
import { isMessageKey, translate } from '../../common/i18n/i18n.js';
import { PageRenderer } from '../../common/views/page-renderer.service.js';
import { AppConfig } from '../../config/app-config.js';
import { bodyOf, text } from '../auth/page-forms.js';
import type { UploadedFileData } from '../files/uploaded-file.js';
import { UsersService } from '../users/users.service.js';
import { AssignmentService } from './assignment.service.js';
import { ChallengesService } from './challenges.service.js';
import { ConversationService, MAX_MESSAGE_FILES } from './conversation.service.js';
import { MESSAGE_MAX_CHARS } from './dto/dispute-message.dto.js';
import { SESSION_MODES, type SessionMode } from './entities/dispute-session.entity.js';
import type { DisputeTicket } from './entities/dispute-ticket.entity.js';
import type { ChallengeDecision } from './entities/mediator-challenge.entity.js';
import { MediatorsService } from './mediators.service.js';
import { SessionsService } from './sessions.service.js';
import { isActive } from './ticket-access.js';
import { runTicketAction } from './ticket-page-actions.js';
import {
  TicketSectionsRegistry,
  type TicketSection,
  type TicketSectionContext,
  type TicketSectionProvider,
} from './ticket-sections.js';
import { ASSIGNABLE_STATES } from './ticket.state.js';
import { MESSAGE_VISIBILITIES, mayWrite, type MessageVisibility } from './visibility.js';

/** The version the form was rendered with (hidden `version`); absent or garbled: unchecked. */
function formVersion(body: Record<string, unknown>): number | undefined {
  const value = Number(text(body.version, 12));
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/** The visibilities `party` may post with on this ticket now (caucus needs an accepted mediator). */
export function postableVisibilities(
  party: TicketSectionContext['party'],
  ticket: DisputeTicket,
): MessageVisibility[] {
  if (party === 'mediator' && ticket.assignment !== 'accepted') return [];
  return MESSAGE_VISIBILITIES.filter(
    (v) =>
      mayWrite(party, v) &&
      (ticket.assignment === 'accepted' || (v !== 'caucus_complainant' && v !== 'caucus_firm')),
  );
}

/**
 * The ticket page's mediator block (order 30) and conversation block (order 40), each built for
 * the viewer: what they may see, and only the forms they may use.
 */
@Injectable()
export class MediationSections implements OnModuleInit {
  constructor(
    private readonly registry: TicketSectionsRegistry,
    private readonly mediators: MediatorsService,
    private readonly assignment: AssignmentService,
    private readonly challenges: ChallengesService,
    private readonly conversation: ConversationService,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
  ) {}

  onModuleInit(): void {
    const mediator: TicketSectionProvider = {
      order: 30,
      name: 'disputes/mediator',
      build: (context) => this.mediatorSection(context),
    };
    const conversation: TicketSectionProvider = {
      order: 40,
      name: 'disputes/conversation',
      build: (context) => this.conversationSection(context),
    };
    this.registry.register(mediator);
    this.registry.register(conversation);
  }

  async mediatorSection({
    manager,
    actor,
    ticket,
    party,
    locale,
  }: TicketSectionContext): Promise<TicketSection | null> {
    if (ticket.state === 'draft') return null;
    const t = (key: string, params?: Record<string, unknown>): string =>
      translate(locale, key, params);
    // Profiles hold free codes (languages) and stored categories: a label when there is one.
    const labelOr = (key: string, fallback: string): string =>
      isMessageKey(key) ? translate(locale, key) : fallback;
    const onCase = ticket.assignment === 'offered' || ticket.assignment === 'accepted';
    let mediator: Record<string, unknown> | null = null;
    if (ticket.mediatorUserId && onCase) {
      const profile = await this.mediators.profile(manager, ticket.mediatorUserId);
      const user = await this.users.findById(ticket.mediatorUserId);
      const languages = profile ? (JSON.parse(profile.languages) as string[]) : [];
      const specialities = profile ? (JSON.parse(profile.specialities) as string[]) : [];
      mediator = {
        name: user?.name ?? '',
        languages: languages.map((code) => labelOr(`disputes.language.${code}`, code)).join('、'),
        specialities: specialities
          .map((code) => labelOr(`disputes.category.${code}`, code))
          .join('、'),
        bio: profile?.bio ?? null,
      };
    }
    const assignable = isActive(ticket) && ASSIGNABLE_STATES.includes(ticket.state);
    const staff = party === 'staff';
    let candidates: Array<{ userId: string; name: string; load: number }> = [];
    if (staff && assignable && ticket.assignment !== 'accepted') {
      const loads = await this.assignment.loads(manager);
      for (const id of await this.assignment.eligibleMediators(manager, ticket))
        candidates.push({
          userId: id,
          name: (await this.users.findById(id))?.name ?? id,
          load: loads.get(id) ?? 0,
        });
      candidates = candidates.sort((a, b) => a.load - b.load || a.name.localeCompare(b.name));
    }
    const challenges = (await this.challenges.forTicket(manager, ticket, party)).map((c) => ({
      id: c.id,
      partyLabel: t(`disputes.party.${c.party}`),
      reason: c.reason,
      createdAt: c.createdAt.toISOString(),
      decided: c.decision !== null,
      decisionLabel: c.decision ? t(`disputes.mediation.challenge.decision.${c.decision}`) : null,
      decisionNote: c.decisionNote,
      canDecide: staff && c.decision === null,
    }));
    const challenger = party === 'complainant' || (party === 'firm' && actor.role === 'firm_admin');
    const ownChallenge = challenges.length > 0 && !staff && party !== 'mediator';
    return {
      partial: 'disputes/mediator',
      model: {
        ticketId: ticket.id,
        version: ticket.version,
        assignmentLabel: t(`disputes.assignment.${ticket.assignment}`),
        mediator,
        candidates,
        canAssign: staff && assignable && ticket.assignment !== 'accepted',
        canOpenPool:
          staff && assignable && (ticket.assignment === 'none' || ticket.assignment === 'offered'),
        canRelease: staff && assignable && ticket.assignment !== 'none',
        canRespondToOffer: party === 'mediator' && ticket.assignment === 'offered' && assignable,
        showContact: party === 'mediator' && ticket.assignment === 'accepted',
        contactReleasedAt: ticket.contactReleasedAt?.toISOString() ?? null,
        canReleaseContact:
          party === 'mediator' &&
          ticket.assignment === 'accepted' &&
          ticket.contactReleasedAt === null &&
          isActive(ticket),
        challenges,
        canChallenge: challenger && onCase && isActive(ticket) && !ownChallenge,
      },
    };
  }

  async conversationSection({
    manager,
    ticket,
    party,
    locale,
  }: TicketSectionContext): Promise<TicketSection | null> {
    if (ticket.state === 'draft') return null;
    const t = (key: string): string => translate(locale, key);
    const messages = (await this.conversation.readable(manager, ticket, party)).map((m) => ({
      ...m,
      partyLabel: t(`disputes.party.${m.authorParty}`),
      visibilityLabel: t(`disputes.visibility.${m.visibility}`),
      restricted: m.visibility !== 'parties',
    }));
    const active = isActive(ticket);
    const options = active ? postableVisibilities(party, ticket) : [];
    const mediatorOnCase = party === 'mediator' && ticket.assignment === 'accepted' && active;
    const sessions = (await this.sessions.forTicket(manager, ticket.id)).map((s) => ({
      id: s.id,
      startsAt: s.startsAt.toISOString(),
      durationMinutes: s.durationMinutes,
      modeLabel: t(`disputes.conversation.mode.${s.mode}`),
      place: s.place,
      note: s.note,
      cancelled: s.cancelledAt !== null,
      canCancel: mediatorOnCase && s.cancelledAt === null,
    }));
    return {
      partial: 'disputes/conversation',
      model: {
        ticketId: ticket.id,
        version: ticket.version,
        messages,
        canPost: options.length > 0,
        visibilityOptions: options.map((v) => ({ value: v, label: t(`disputes.visibility.${v}`) })),
        maxChars: MESSAGE_MAX_CHARS,
        sessions,
        canSchedule: mediatorOnCase,
        modes: SESSION_MODES.map((m) => ({
          value: m,
          label: t(`disputes.conversation.mode.${m}`),
        })),
      },
    };
  }
}

/** Multer for message files: up to MAX_MESSAGE_FILES per message, each within UPLOAD_MAX_BYTES. */
@Injectable()
class MessageFilesInterceptor extends FilesInterceptor('files', MAX_MESSAGE_FILES) {
  constructor(config: AppConfig) {
    super({
      limits: { fileSize: config.UPLOAD_MAX_BYTES, files: MAX_MESSAGE_FILES },
      defParamCharset: 'utf8',
    });
  }
}

/** The mediator and conversation sections' forms; each redirects back to the ticket page. */
@ApiExcludeController()
@Controller('disputes/tickets/:id')
export class MediationPagesController {
  constructor(
    private readonly assignment: AssignmentService,
    private readonly challenges: ChallengesService,
    private readonly conversation: ConversationService,
    private readonly sessions: SessionsService,
    private readonly pages: PageRenderer,
  ) {}

  private run(
    req: Request,
    res: Response,
    id: string,
    anchor: 'mediator' | 'conversation',
    done: string,
    work: (body: Record<string, unknown>, version: number | undefined) => Promise<unknown>,
  ): Promise<void> {
    const body = bodyOf(req);
    return runTicketAction(this.pages, res, id, anchor, async () => {
      await work(body, formVersion(body));
      return done;
    });
  }

  @Post('assign')
  assign(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.run(req, res, id, 'mediator', 'mediation.done.assigned', (b, v) =>
      this.assignment.assign(auth.user, id, text(b.mediatorUserId, 36), v, requestMeta(req)),
    );
  }

  @Post('auto-assign')
  autoAssign(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.run(req, res, id, 'mediator', 'mediation.done.assigned', (_, v) =>
      this.assignment.autoAssign(auth.user, id, v, requestMeta(req)),
    );
  }

  @Post('open-pool')
  openPool(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.run(req, res, id, 'mediator', 'mediation.done.opened', (_, v) =>
      this.assignment.openPool(auth.user, id, v, requestMeta(req)),
    );
  }

  @Post('release-assignment')
  release(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.run(req, res, id, 'mediator', 'mediation.done.released', (_, v) =>
      this.assignment.release(auth.user, id, v, requestMeta(req)),
    );
  }

  @Post('accept-assignment')
  accept(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.run(req, res, id, 'mediator', 'mediation.done.accepted', (b, v) =>
      this.assignment.accept(auth.user, id, b.noConflict === 'yes', v, requestMeta(req)),
    );
  }

  @Post('decline-assignment')
  decline(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.run(req, res, id, 'mediator', 'mediation.done.declined', (b, v) =>
      this.assignment.decline(auth.user, id, text(b.reason, 2000), v, requestMeta(req)),
    );
  }

  @Post('release-contact')
  releaseContact(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.run(req, res, id, 'mediator', 'mediation.done.contactReleased', (_, v) =>
      this.assignment.releaseContact(auth.user, id, v, requestMeta(req)),
    );
  }

  @Post('challenges')
  challenge(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.run(req, res, id, 'mediator', 'mediation.done.challenged', (b) =>
      this.challenges.challenge(auth.user, id, text(b.reason, 5000), requestMeta(req)),
    );
  }

  @Post('challenges/:challengeId/decide')
  decide(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Param('challengeId') challengeId: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.run(req, res, id, 'mediator', 'mediation.done.decided', (b) => {
      const decision: ChallengeDecision = b.decision === 'upheld' ? 'upheld' : 'dismissed';
      return this.challenges.decide(
        auth.user,
        challengeId,
        decision,
        text(b.note, 5000),
        requestMeta(req),
      );
    });
  }

  /** Multipart (field `files`): the CSRF token travels in the action URL (`?_csrf=`). */
  @Post('messages')
  @UseInterceptors(MessageFilesInterceptor)
  postMessage(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @UploadedFiles() files: UploadedFileData[] | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.run(req, res, id, 'conversation', 'conversation.done.posted', (b) => {
      return this.conversation.post(
        auth.user,
        id,
        { body: text(b.body, MESSAGE_MAX_CHARS + 1), visibility: text(b.visibility, 24) },
        (files ?? []).filter((f) => f.size > 0),
        requestMeta(req),
      );
    });
  }

  @Post('sessions')
  schedule(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.run(req, res, id, 'conversation', 'conversation.done.scheduled', (b) => {
      // The form's datetime-local value is Beijing time.
      const local = text(b.startsAt, 20);
      const startsAt = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local) ? `${local}:00+08:00` : local;
      return this.sessions.schedule(
        auth.user,
        id,
        {
          startsAt,
          durationMinutes: Number(text(b.durationMinutes, 6)),
          mode: text(b.mode, 8) as SessionMode,
          place: text(b.place, 1000),
          note: text(b.note, 2000),
        },
        requestMeta(req),
      );
    });
  }

  @Post('sessions/:sessionId/cancel')
  cancelSession(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Param('sessionId') sessionId: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.run(req, res, id, 'conversation', 'conversation.done.cancelled', () =>
      this.sessions.cancel(auth.user, sessionId, requestMeta(req)),
    );
  }
}
