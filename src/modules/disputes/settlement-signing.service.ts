import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { sha256Hex } from '../../common/crypto/tokens.js';
import { CommonError } from '../../common/errors/domain-error.js';
import { TransactionService } from '../../database/transaction.service.js';
import { updateVersioned } from '../../database/versioned-update.js';
import { canonicalJson } from '../audit/canonical-json.js';
import { LoginThrottleService } from '../auth/login-throttle.service.js';
import { MfaService } from '../auth/mfa.service.js';
import { FirmsService } from '../membership/firms.service.js';
import { normaliseName } from '../../common/names.js';
import { SigningKeysService } from '../signing/signing-keys.service.js';
import { normaliseEmail, UsersService } from '../users/users.service.js';
import { DeadlinesService } from './deadlines.service.js';
import { DisputesError } from './disputes.errors.js';
import { DisputeTicket } from './entities/dispute-ticket.entity.js';
import {
  SettlementSignature,
  type SettlementAuthMethod,
  type SettlementParty,
} from './entities/settlement-signature.entity.js';
import { Settlement } from './entities/settlement.entity.js';
import {
  CURRENT_SETTLEMENT_CONSENT,
  settlementConsentByVersion,
  settlementConsentFingerprint,
  type SettlementConsentWording,
} from './settlement-consent.js';
import { SettlementsService } from './settlements.service.js';
import { TicketEventsService } from './ticket-events.service.js';
import { TicketWorkflowService } from './ticket-workflow.service.js';
import type { TicketParty } from './visibility.js';

/** Marks what the payload is, so a signature over it can never pass for one over anything else. */
export const SETTLEMENT_PAYLOAD_TYPE = 'szifa.settlement-signature/v1';

/** Where anyone finds the association's public keys (JWKS) to check a signature. */
export const JWKS_PATH = '/.well-known/szifa-keys.json';

export interface SettlementSignInput {
  typedName: string;
  /** The firm signatory's title; ignored for the complainant. */
  signerTitle?: string | null;
  consent?: boolean;
  password: string;
  totpCode?: string;
}

export interface SettlementSignatureView {
  id: string;
  settlementId: string;
  ticketId: string;
  party: SettlementParty;
  firmId: string | null;
  textFingerprint: string;
  consentVersion: string;
  consentFingerprint: string;
  signerUserId: string;
  typedName: string;
  signerTitle: string | null;
  signedAt: string;
  ip: string | null;
  userAgent: string | null;
  authMethod: SettlementAuthMethod;
  payload: string;
  kid: string;
  signature: string;
  auditEventId: string;
}

export interface SignatureCheck {
  signatureId: string;
  party: SettlementParty;
  payloadMatchesRecord: boolean;
  signatureValid: boolean;
  textMatchesAgreement: boolean;
  consentMatches: boolean;
  valid: boolean;
}

export interface SettlementVerification {
  settlementId: string;
  status: 'valid' | 'altered' | 'unsigned';
  textFingerprint: string | null;
  /** The frozen text still hashes to the fingerprint taken when it was sent. */
  textIntact: boolean;
  signatures: SignatureCheck[];
  jwks: string;
}

export interface SigningPreparation {
  settlement: Settlement;
  ticket: DisputeTicket;
  side: SettlementParty;
  existing: SettlementSignature | null;
  consent: SettlementConsentWording;
}

export function toSettlementSignatureView(row: SettlementSignature): SettlementSignatureView {
  return { ...row, signedAt: row.signedAt.toISOString() };
}

/**
 * The bytes that are signed: canonical JSON of every recorded field of the signature except the
 * signature itself and the audit link, with a type marker. Verification rebuilds it from the
 * stored columns; a column changed afterwards shows.
 */
export function settlementPayload(
  row: Omit<SettlementSignature, 'payload' | 'signature' | 'auditEventId'>,
): string {
  return canonicalJson({
    type: SETTLEMENT_PAYLOAD_TYPE,
    id: row.id,
    settlementId: row.settlementId,
    ticketId: row.ticketId,
    party: row.party,
    firmId: row.firmId,
    textFingerprint: row.textFingerprint,
    consentVersion: row.consentVersion,
    consentFingerprint: row.consentFingerprint,
    signerUserId: row.signerUserId,
    typedName: row.typedName,
    signerTitle: row.signerTitle,
    signedAt: row.signedAt,
    ip: row.ip,
    userAgent: row.userAgent,
    authMethod: row.authMethod,
    kid: row.kid,
  });
}

/**
 * Signing a settlement with the rigour of a pledge: the complainant signs as themselves, the
 * firm through its authorised signatory; each types their registered name, ticks the versioned
 * consent and re-authenticates (password, plus TOTP when enrolled). The record is signed with
 * the association's Ed25519 key and linked to the ticket's audit event. The second signature
 * settles the ticket in the same transaction.
 */
@Injectable()
export class SettlementSigningService {
  constructor(
    private readonly tx: TransactionService,
    private readonly settlements: SettlementsService,
    private readonly workflow: TicketWorkflowService,
    private readonly events: TicketEventsService,
    private readonly deadlines: DeadlinesService,
    private readonly keys: SigningKeysService,
    private readonly firms: FirmsService,
    private readonly users: UsersService,
    private readonly mfa: MfaService,
    private readonly throttle: LoginThrottleService,
  ) {}

  /** What the actor is asked to sign, and on which side; refuses anyone who may not sign. */
  async prepare(actor: Actor, settlementId: string): Promise<SigningPreparation> {
    return this.tx.run(async (manager) => {
      const { settlement, ticket, party } = await this.settlements.findVisible(
        manager,
        actor,
        settlementId,
      );
      const side = await this.sideOf(actor, ticket, party);
      const existing = await manager.findOneBy(SettlementSignature, {
        settlementId: settlement.id,
        party: side,
      });
      return { settlement, ticket, side, existing, consent: CURRENT_SETTLEMENT_CONSENT };
    });
  }

  /** prepare() plus the firm's name, for the ceremony page. */
  async prepareForPage(
    actor: Actor,
    settlementId: string,
  ): Promise<SigningPreparation & { firmName: string | null }> {
    const prepared = await this.prepare(actor, settlementId);
    const firm = prepared.ticket.firmId ? await this.firms.findById(prepared.ticket.firmId) : null;
    return { ...prepared, firmName: firm?.name ?? null };
  }

  async sign(
    actor: Actor,
    settlementId: string,
    input: SettlementSignInput,
    meta: Partial<RequestMeta>,
  ): Promise<SettlementSignatureView> {
    const { settlement, ticket, side, existing } = await this.prepare(actor, settlementId);
    if (settlement.status !== 'awaiting_signatures' || settlement.textFingerprint === null)
      throw new DisputesError('SETTLEMENT_NOT_AWAITING');
    if (existing) throw new DisputesError('ALREADY_SIGNED', { signatureId: existing.id });
    if (input.consent !== true) throw new DisputesError('SIGN_CONSENT_REQUIRED');
    const signerTitle = side === 'firm' ? normaliseName(input.signerTitle ?? '') : null;
    if (signerTitle === '') throw new CommonError('VALIDATION_FAILED', { field: 'signerTitle' });
    const signer = await this.users.findById(actor.id);
    if (!signer) throw new DisputesError('NOT_SIGNATORY');
    const typedName = normaliseName(input.typedName);
    if (typedName !== normaliseName(signer.name)) throw new DisputesError('TYPED_NAME_MISMATCH');

    // Re-authentication with the signer's own factors, counted by the sign-in throttle.
    const email = normaliseEmail(signer.email);
    const ip = meta.ip ?? null;
    await this.throttle.assertAllowed(email, ip);
    const totpEnrolled = signer.totpEnabledAt !== null;
    const code = input.totpCode?.trim() ?? '';
    if (totpEnrolled && code === '') throw new DisputesError('TOTP_REQUIRED');
    let reauthenticated = await this.users.verifyPassword(signer, input.password);
    if (reauthenticated && totpEnrolled)
      reauthenticated = await this.tx.run((manager) =>
        this.mfa.acceptTotp(manager, signer.id, code),
      );
    if (!reauthenticated) {
      await this.throttle.recordFailure(email, ip);
      throw new DisputesError('REAUTH_FAILED');
    }
    const authMethod: SettlementAuthMethod = totpEnrolled ? 'password+totp' : 'password';

    const facts = { side, typedName, signerTitle, authMethod, meta };
    try {
      // The other party signing at the same moment bumps the agreement's version first: this
      // signature is then recorded again on top of theirs (and settles the ticket), rather than
      // sending someone who has just re-authenticated back with "reload and try again".
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.tx.run((manager) =>
            this.record(manager, actor, settlement, ticket, facts),
          );
        } catch (error) {
          if (!(error instanceof CommonError && error.code === 'CONFLICT') || attempt >= 3)
            throw error;
        }
      }
    } catch (error) {
      // Two submissions for the same side racing past the check meet the unique index.
      if (!(error instanceof DisputesError)) {
        const raced = await this.tx.run((m) =>
          m.findOneBy(SettlementSignature, { settlementId: settlement.id, party: side }),
        );
        if (raced) throw new DisputesError('ALREADY_SIGNED', { signatureId: raced.id });
      }
      throw error;
    }
  }

  /**
   * Settlements waiting for this person's signature: the complainant's own, or, for a firm's
   * authorised signatory, those against the firm (home task).
   */
  async awaitingFor(actor: Actor): Promise<Array<{ settlementId: string; number: string | null }>> {
    let side: SettlementParty;
    let column: 'complainantUserId' | 'firmId';
    let value: string;
    if (actor.role === 'complainant') {
      side = 'complainant';
      column = 'complainantUserId';
      value = actor.id;
    } else if (actor.firmId) {
      const firm = await this.firms.findById(actor.firmId);
      if (firm?.signatoryUserId !== actor.id) return [];
      side = 'firm';
      column = 'firmId';
      value = actor.firmId;
    } else return [];
    const rows = await this.tx.run((manager) =>
      manager
        .createQueryBuilder(Settlement, 's')
        .innerJoin(DisputeTicket, 't', 't.id = s.ticketId')
        .leftJoin(SettlementSignature, 'g', 'g.settlementId = s.id AND g.party = :side', { side })
        .select(['s.id AS "settlementId"', 't.number AS "number"'])
        .where('s.status = :status', { status: 'awaiting_signatures' })
        .andWhere(`t.${column} = :value`, { value })
        .andWhere('g.id IS NULL')
        .orderBy('s.sentAt', 'ASC')
        .limit(20)
        .getRawMany<{ settlementId: string; number: string | null }>(),
    );
    return rows;
  }

  /** The signatures of a settlement, for those who may see it. */
  async signaturesOf(actor: Actor, settlementId: string): Promise<SettlementSignatureView[]> {
    return this.tx.run(async (manager) => {
      const { settlement } = await this.settlements.findVisible(manager, actor, settlementId);
      return (await this.rowsOf(manager, settlement.id)).map(toSettlementSignatureView);
    });
  }

  rowsOf(manager: EntityManager, settlementId: string): Promise<SettlementSignature[]> {
    return manager.find(SettlementSignature, {
      where: { settlementId },
      order: { signedAt: 'ASC', id: 'ASC' },
    });
  }

  /**
   * Each signature's payload must equal the one rebuilt from its columns, the association's
   * signature over it must check with the published key, and its fingerprints must match the
   * frozen text and the consent wording it names.
   */
  async verify(actor: Actor, settlementId: string): Promise<SettlementVerification> {
    const { settlement, rows } = await this.tx.run(async (manager) => {
      const found = await this.settlements.findVisible(manager, actor, settlementId);
      return {
        settlement: found.settlement,
        rows: await this.rowsOf(manager, found.settlement.id),
      };
    });
    return this.check(settlement, rows);
  }

  async check(
    settlement: Settlement,
    rows: SettlementSignature[],
  ): Promise<SettlementVerification> {
    const textIntact =
      settlement.renderedText !== null &&
      sha256Hex(settlement.renderedText) === settlement.textFingerprint;
    const signatures: SignatureCheck[] = [];
    for (const row of rows) {
      const payloadMatchesRecord = settlementPayload(row) === row.payload;
      const signatureValid = await this.keys.verify(row.kid, row.payload, row.signature);
      const textMatchesAgreement = textIntact && row.textFingerprint === settlement.textFingerprint;
      const consent = settlementConsentByVersion(row.consentVersion);
      const consentMatches =
        consent !== null && settlementConsentFingerprint(consent) === row.consentFingerprint;
      signatures.push({
        signatureId: row.id,
        party: row.party,
        payloadMatchesRecord,
        signatureValid,
        textMatchesAgreement,
        consentMatches,
        valid: payloadMatchesRecord && signatureValid && textMatchesAgreement && consentMatches,
      });
    }
    const status =
      signatures.length === 0 ? 'unsigned' : signatures.every((s) => s.valid) ? 'valid' : 'altered';
    return {
      settlementId: settlement.id,
      status: textIntact || signatures.length === 0 ? status : 'altered',
      textFingerprint: settlement.textFingerprint,
      textIntact,
      signatures,
      jwks: JWKS_PATH,
    };
  }

  /** complainant → 'complainant'; the respondent's authorised signatory → 'firm'; else refused. */
  private async sideOf(
    actor: Actor,
    ticket: DisputeTicket,
    party: TicketParty,
  ): Promise<SettlementParty> {
    if (party === 'complainant') return 'complainant';
    if (party === 'firm' && ticket.firmId) {
      const firm = await this.firms.findById(ticket.firmId);
      if (firm?.signatoryUserId === actor.id) return 'firm';
    }
    throw new DisputesError('NOT_SIGNATORY');
  }

  private async record(
    manager: EntityManager,
    actor: Actor,
    read: Settlement,
    readTicket: DisputeTicket,
    facts: {
      side: SettlementParty;
      typedName: string;
      signerTitle: string | null;
      authMethod: SettlementAuthMethod;
      meta: Partial<RequestMeta>;
    },
  ): Promise<SettlementSignatureView> {
    const settlement = await manager.findOneBy(Settlement, { id: read.id });
    if (
      !settlement ||
      settlement.status !== 'awaiting_signatures' ||
      settlement.textFingerprint !== read.textFingerprint
    )
      throw new DisputesError('SETTLEMENT_NOT_AWAITING');
    if (await manager.findOneBy(SettlementSignature, { settlementId: read.id, party: facts.side }))
      throw new DisputesError('ALREADY_SIGNED');
    const signedAt = new Date();
    // Every signature bumps the agreement's version: two parties signing at the same moment
    // cannot both believe they were first, so the second signature always settles the ticket.
    await updateVersioned(manager, Settlement, settlement.id, settlement.version, {
      updatedAt: signedAt,
    });
    const kid = await this.keys.currentKid();
    const fields: Omit<SettlementSignature, 'payload' | 'signature' | 'auditEventId'> = {
      id: randomUUID(),
      settlementId: settlement.id,
      ticketId: settlement.ticketId,
      party: facts.side,
      firmId: facts.side === 'firm' ? readTicket.firmId : null,
      textFingerprint: settlement.textFingerprint!,
      consentVersion: CURRENT_SETTLEMENT_CONSENT.version,
      consentFingerprint: settlementConsentFingerprint(CURRENT_SETTLEMENT_CONSENT),
      signerUserId: actor.id,
      typedName: facts.typedName,
      signerTitle: facts.signerTitle,
      signedAt,
      ip: facts.meta.ip ?? null,
      userAgent: facts.meta.userAgent?.slice(0, 500) ?? null,
      authMethod: facts.authMethod,
      kid,
    };
    const payload = settlementPayload(fields);
    const signed = await this.keys.sign(payload);
    if (signed.kid !== kid) throw new CommonError('CONFLICT');
    const entry = await this.events.record(manager, {
      ticket: readTicket,
      actor,
      party: facts.side,
      action: 'settlement_signed',
      detail: {
        settlementId: settlement.id,
        signatureId: fields.id,
        side: facts.side,
        textFingerprint: fields.textFingerprint,
        payloadSha256: sha256Hex(payload),
        kid,
        signature: signed.signature,
      },
      meta: facts.meta,
      at: signedAt,
    });
    const row: SettlementSignature = {
      ...fields,
      payload,
      signature: signed.signature,
      // TicketEventsService always writes the audit event first and links it.
      auditEventId: entry.auditEventId ?? '',
    };
    await manager.insert(SettlementSignature, row);
    const count = await manager.countBy(SettlementSignature, { settlementId: settlement.id });
    if (count >= 2) await this.settle(manager, settlement, signedAt, facts.meta);
    else
      await this.settlements.notify(
        manager,
        readTicket,
        [facts.side === 'firm' ? 'complainant' : 'firm', 'mediator'],
        'signed',
        settlement.id,
      );
    return toSettlementSignatureView(row);
  }

  /** Both have signed: the agreement is in force and the ticket is settled. */
  private async settle(
    manager: EntityManager,
    settlement: Settlement,
    at: Date,
    meta: Partial<RequestMeta>,
  ): Promise<void> {
    await updateVersioned(manager, Settlement, settlement.id, settlement.version + 1, {
      status: 'signed',
      signedAt: at,
      updatedAt: at,
    });
    const ticket = await this.ticketOf(manager, settlement.ticketId);
    const settled = await this.workflow.transition(manager, null, ticket, 'settle', {
      party: 'system',
      changes: { resolvedAt: at },
      detail: { settlementId: settlement.id, revision: settlement.revision },
      meta,
      at,
    });
    await this.deadlines.meet(manager, ticket.id, 'mediation', at);
    await this.settlements.notify(
      manager,
      settled,
      ['complainant', 'firm', 'mediator'],
      'settled',
      settlement.id,
    );
  }

  private ticketOf(manager: EntityManager, id: string): Promise<DisputeTicket> {
    return manager.findOneByOrFail(DisputeTicket, { id });
  }
}
