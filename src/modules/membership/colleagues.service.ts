import { randomUUID } from 'node:crypto';
import { newLinkToken, sha256Hex } from '../../common/crypto/tokens.js';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, type Repository } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import type { Locale } from '../../common/i18n/i18n.js';
import { translate } from '../../common/i18n/i18n.js';
import { AppConfig } from '../../config/app-config.js';
import { TransactionService } from '../../database/transaction.service.js';
import { updateVersioned } from '../../database/versioned-update.js';
import { AuditService } from '../audit/audit.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import type { User } from '../users/entities/user.entity.js';
import { normaliseEmail, UsersService } from '../users/users.service.js';
import { FirmInvitation } from './entities/firm-invitation.entity.js';
import { Firm } from './entities/firm.entity.js';
import { assertFirmAdmin } from './firm-access.js';
import { maySeeFirm } from '../../common/auth/roles.js';
import { FirmProfileService } from './firm-profile.service.js';
import { MembershipError } from './membership.errors.js';

export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

export type InvitationRole = FirmInvitation['role'];
export type InvitationState = 'pending' | 'accepted' | 'revoked' | 'expired';

export interface ColleagueView {
  id: string;
  name: string;
  email: string;
  role: string;
  isSignatory: boolean;
  /** Set when the colleague was removed; the account stays, disabled. */
  removedAt: string | null;
  joinedAt: string;
}

export interface InvitationView {
  id: string;
  email: string;
  role: InvitationRole;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
  state: InvitationState;
}

export interface ColleaguesView {
  signatoryUserId: string | null;
  colleagues: ColleagueView[];
  invitations: InvitationView[];
}

/** What the invitation page shows before the invitee chooses a password. */
export interface InvitationPreview {
  email: string;
  role: InvitationRole;
  firmName: string;
  expiresAt: string;
}

export function invitationState(invitation: FirmInvitation, now = new Date()): InvitationState {
  if (invitation.acceptedAt) return 'accepted';
  if (invitation.revokedAt) return 'revoked';
  if (invitation.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'pending';
}

function toInvitationView(invitation: FirmInvitation): InvitationView {
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    invitedBy: invitation.invitedBy,
    createdAt: invitation.createdAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
    state: invitationState(invitation),
  };
}

/**
 * A firm's people (issue 3 §7): administrators invite colleagues by e-mail, remove them, and
 * designate the authorised signatory. An invitation is a single-use link valid seven days; only
 * its token's SHA-256 is stored. The invitee proves the address by opening the link, so the new
 * account starts verified. Removing a colleague disables the account (the row stays: audit
 * events and signatures point at it), which ends every session at the next request.
 */
@Injectable()
export class ColleaguesService {
  constructor(
    @InjectRepository(FirmInvitation) private readonly invitations: Repository<FirmInvitation>,
    @InjectRepository(Firm) private readonly firms: Repository<Firm>,
    private readonly users: UsersService,
    private readonly profiles: FirmProfileService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly tx: TransactionService,
    private readonly config: AppConfig,
  ) {}

  /** The firm's accounts (removed ones marked) and its invitations, newest first. */
  async list(actor: Actor, firmId: string): Promise<ColleaguesView> {
    const firm = maySeeFirm(actor, firmId) ? await this.firms.findOneBy({ id: firmId }) : null;
    if (!firm) throw new MembershipError('FIRM_NOT_FOUND');
    const [users, invitations] = await Promise.all([
      this.users.listByFirm(firmId),
      this.invitations.find({ where: { firmId }, order: { createdAt: 'DESC', id: 'ASC' } }),
    ]);
    return {
      signatoryUserId: firm.signatoryUserId,
      colleagues: users.map((user) => ({
        id: user.id,
        name: user.name,
        email: user.email,
        role: user.role,
        isSignatory: user.id === firm.signatoryUserId,
        removedAt: user.disabledAt?.toISOString() ?? null,
        joinedAt: user.createdAt.toISOString(),
      })),
      invitations: invitations.map(toInvitationView),
    };
  }

  /**
   * Invites `email` to the firm as `role`: earlier pending invitations of the same address to
   * this firm stop working, and the e-mail with the link is queued in the same transaction.
   */
  async invite(
    actor: Actor,
    firmId: string,
    input: { email: string; role: InvitationRole },
    locale: Locale,
    meta: Partial<RequestMeta> = {},
  ): Promise<InvitationView> {
    assertFirmAdmin(actor, firmId);
    const email = normaliseEmail(input.email);
    if (await this.users.findByEmail(email)) throw new MembershipError('INVITEE_HAS_ACCOUNT');
    const { token, hash } = newLinkToken();
    return this.tx.run(async (manager) => {
      const firm = await this.profiles.lockedFirm(manager, firmId);
      const now = new Date();
      await manager.update(
        FirmInvitation,
        {
          firmId,
          email,
          acceptedAt: IsNull(),
          revokedAt: IsNull(),
          expiresAt: MoreThan(now),
        },
        { revokedAt: now },
      );
      const invitation = manager.create(FirmInvitation, {
        id: randomUUID(),
        firmId,
        email,
        role: input.role,
        tokenHash: hash,
        invitedBy: actor.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
        acceptedAt: null,
        revokedAt: null,
      });
      await manager.insert(FirmInvitation, invitation);
      await this.notifications.queueEmail(manager, {
        to: email,
        template: 'firm-invitation',
        locale,
        context: {
          inviterName: actor.name,
          firmName: firm.name,
          roleLabel: translate(locale, `role.${input.role}`),
          link: `${this.config.PUBLIC_URL.replace(/\/+$/, '')}/invitations/accept?token=${token}`,
          days: INVITATION_TTL_MS / (24 * 3600_000),
        },
      });
      await this.audit.record(manager, {
        actor,
        action: 'membership.invitation_sent',
        subjectType: 'firm',
        subjectId: firmId,
        summary: { invitationId: invitation.id, email, role: input.role },
        meta,
      });
      return toInvitationView(invitation);
    });
  }

  async revokeInvitation(
    actor: Actor,
    firmId: string,
    invitationId: string,
    meta: Partial<RequestMeta> = {},
  ): Promise<void> {
    assertFirmAdmin(actor, firmId);
    await this.tx.run(async (manager) => {
      const invitation = await manager.findOneBy(FirmInvitation, { id: invitationId, firmId });
      if (!invitation || invitationState(invitation) !== 'pending')
        throw new MembershipError('INVITATION_NOT_FOUND');
      await manager.update(FirmInvitation, { id: invitation.id }, { revokedAt: new Date() });
      await this.audit.record(manager, {
        actor,
        action: 'membership.invitation_revoked',
        subjectType: 'firm',
        subjectId: firmId,
        summary: { invitationId: invitation.id, email: invitation.email },
        meta,
      });
    });
  }

  /** The invitation behind a link, or null when it cannot be used (unknown, used, expired). */
  async preview(token: string): Promise<InvitationPreview | null> {
    const invitation = token
      ? await this.invitations.findOneBy({ tokenHash: sha256Hex(token) })
      : null;
    if (!invitation || invitationState(invitation) !== 'pending') return null;
    const firm = await this.firms.findOneBy({ id: invitation.firmId });
    if (!firm) return null;
    return {
      email: invitation.email,
      role: invitation.role,
      firmName: firm.name,
      expiresAt: invitation.expiresAt.toISOString(),
    };
  }

  /**
   * Uses an invitation: creates the account (verified: the link proved the address) with the
   * invited role. INVITATION_INVALID when the link is unknown, used, revoked or expired; the
   * conditional update lets only one of two racing uses win.
   */
  async accept(
    input: { token: string; name: string; password: string },
    locale: Locale,
    meta: Partial<RequestMeta> = {},
  ): Promise<User> {
    return this.tx.run(async (manager) => {
      const now = new Date();
      const invitation = input.token
        ? await manager.findOneBy(FirmInvitation, { tokenHash: sha256Hex(input.token) })
        : null;
      if (!invitation || invitationState(invitation, now) !== 'pending')
        throw new MembershipError('INVITATION_INVALID');
      const claimed = await manager.update(
        FirmInvitation,
        { id: invitation.id, acceptedAt: IsNull(), revokedAt: IsNull() },
        { acceptedAt: now },
      );
      if ((claimed.affected ?? 0) !== 1) throw new MembershipError('INVITATION_INVALID');
      const user = await this.users.create(manager, {
        email: invitation.email,
        name: input.name,
        role: invitation.role,
        password: input.password,
        firmId: invitation.firmId,
        locale,
        emailVerified: true,
      });
      await this.audit.record(manager, {
        actor: { id: user.id, role: user.role },
        action: 'membership.invitation_accepted',
        subjectType: 'firm',
        subjectId: invitation.firmId,
        summary: { invitationId: invitation.id, userId: user.id, role: user.role },
        meta,
      });
      return user;
    });
  }

  /**
   * Removes a colleague: disables the account, and clears the signatory if it was them. An
   * administrator cannot remove themselves, and a firm never loses its last administrator.
   */
  async remove(
    actor: Actor,
    firmId: string,
    userId: string,
    meta: Partial<RequestMeta> = {},
  ): Promise<void> {
    assertFirmAdmin(actor, firmId);
    if (userId === actor.id) throw new MembershipError('CANNOT_REMOVE_SELF');
    await this.tx.run(async (manager) => {
      const firm = await this.profiles.lockedFirm(manager, firmId);
      // Touching the firm's version makes two concurrent removals in one firm conflict (409),
      // so two administrators cannot remove each other at the same moment.
      await updateVersioned(manager, Firm, firm.id, firm.version, { updatedAt: new Date() });
      const people = await this.users.listByFirm(firmId, manager);
      const target = people.find((user) => user.id === userId && user.disabledAt === null);
      if (!target) throw new MembershipError('COLLEAGUE_NOT_FOUND');
      const otherAdmins = people.filter(
        (user) => user.role === 'firm_admin' && user.disabledAt === null && user.id !== userId,
      );
      if (target.role === 'firm_admin' && otherAdmins.length === 0)
        throw new MembershipError('LAST_FIRM_ADMIN');
      await this.users.disable(manager, target.id);
      if (firm.signatoryUserId === target.id)
        await this.profiles.setSignatory(manager, firmId, null, actor.id);
      await this.audit.record(manager, {
        actor,
        action: 'membership.colleague_removed',
        subjectType: 'firm',
        subjectId: firmId,
        summary: { userId: target.id, role: target.role },
        meta,
      });
    });
  }

  /** Designates the authorised signatory: an active user of the same firm. */
  async designateSignatory(
    actor: Actor,
    firmId: string,
    userId: string,
    meta: Partial<RequestMeta> = {},
  ): Promise<void> {
    assertFirmAdmin(actor, firmId);
    await this.tx.run(async (manager) => {
      const people = await this.users.listByFirm(firmId, manager);
      const signatory = people.find((user) => user.id === userId && user.disabledAt === null);
      if (!signatory) throw new MembershipError('SIGNATORY_INVALID');
      const change = await this.profiles.setSignatory(manager, firmId, signatory.id, actor.id);
      if (change.from === change.to) return;
      await this.audit.record(manager, {
        actor,
        action: 'membership.signatory_designated',
        subjectType: 'firm',
        subjectId: firmId,
        summary: { from: change.from, to: change.to },
        meta,
      });
    });
  }
}
