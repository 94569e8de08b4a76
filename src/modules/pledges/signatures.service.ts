import { normaliseName } from '../../common/names.js';
import { randomUUID } from 'node:crypto';
import { sha256Hex } from '../../common/crypto/tokens.js';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { isStaff, maySeeFirm } from '../../common/auth/roles.js';
import { TransactionService } from '../../database/transaction.service.js';
import { AuditService } from '../audit/audit.service.js';
import { canonicalJson } from '../audit/canonical-json.js';
import { LoginThrottleService } from '../auth/login-throttle.service.js';
import { MfaService } from '../auth/mfa.service.js';
import { FirmsService } from '../membership/firms.service.js';
import { MembershipError } from '../membership/membership.errors.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { normaliseEmail, UsersService } from '../users/users.service.js';
import { consentByVersion, consentFingerprint, CURRENT_CONSENT } from './consent.js';
import { normaliseText } from './convention-text.js';
import { ConventionsService } from './conventions.service.js';
import { PledgeSignature, type SignerAuthMethod } from './entities/pledge-signature.entity.js';
import { ObligationsService } from './obligations.service.js';
import { PledgesError } from './pledges.errors.js';
import { SigningError } from '../signing/signing.errors.js';
import { SigningKeysService } from '../signing/signing-keys.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Marks what the payload is, so a signature over it can never pass for one over anything else. */
export const PLEDGE_PAYLOAD_TYPE = 'szifa.pledge-signature/v1';

export interface SignInput {
  firmId: string;
  conventionVersionId: string;
  typedName: string;
  signerTitle: string;
  consent?: boolean;
  password: string;
  totpCode?: string;
}

/** A signature record as the firm, staff and the public verification read it. */
export interface SignatureView {
  id: string;
  firmId: string;
  conventionVersionId: string;
  textFingerprint: string;
  consentVersion: string;
  consentFingerprint: string;
  signerUserId: string;
  typedName: string;
  signerTitle: string;
  signedAt: string;
  ip: string | null;
  userAgent: string | null;
  authMethod: SignerAuthMethod;
  payload: string;
  kid: string;
  signature: string;
  auditEventId: string;
}

/**
 * What public verification shows of a record: enough to see who signed what and when, but not
 * the signer's address, browser or internal id (personal information that only the firm and
 * staff see, on the receipt, together with the signed payload).
 */
export type PublicSignatureView = Omit<
  SignatureView,
  'ip' | 'userAgent' | 'signerUserId' | 'payload'
>;

export function toPublicSignatureView(view: SignatureView): PublicSignatureView {
  const {
    ip: _ip,
    userAgent: _userAgent,
    signerUserId: _signer,
    payload: _payload,
    ...rest
  } = view;
  return rest;
}

export type VerificationStatus = 'valid' | 'altered' | 'unknown';

export interface VerificationResult {
  status: VerificationStatus;
  signatureId: string;
  /** Each check, so that "altered" says what no longer holds; null when the id is unknown. */
  checks: {
    payloadMatchesRecord: boolean;
    signatureValid: boolean;
    textMatchesVersion: boolean;
  } | null;
  record: PublicSignatureView | null;
}

export interface TextCheckResult {
  versionNumber: number;
  matches: boolean;
  /**
   * What the text matched: the whole canonical text, or one language's body alone (people
   * often paste just the body they read); null when nothing matched.
   */
  matchedPart: 'canonical' | 'body.zh' | 'body.en' | null;
  /** sha256 of the version's canonical text as stored now. */
  versionFingerprint: string;
  /** sha256 of the submitted text after canonicalisation. */
  submittedFingerprint: string;
}

/** Firms that may sign: applicants (admission requires it) and current members. */
const MAY_SIGN: ReadonlySet<string> = new Set(['applicant', 'active', 'suspended']);

// Typed names are compared and stored in one form, shared with settlement signatures.
export { normaliseName };

export function toSignatureView(row: PledgeSignature): SignatureView {
  return {
    id: row.id,
    firmId: row.firmId,
    conventionVersionId: row.conventionVersionId,
    textFingerprint: row.textFingerprint,
    consentVersion: row.consentVersion,
    consentFingerprint: row.consentFingerprint,
    signerUserId: row.signerUserId,
    typedName: row.typedName,
    signerTitle: row.signerTitle,
    signedAt: row.signedAt.toISOString(),
    ip: row.ip,
    userAgent: row.userAgent,
    authMethod: row.authMethod,
    payload: row.payload,
    kid: row.kid,
    signature: row.signature,
    auditEventId: row.auditEventId,
  };
}

/**
 * The bytes that are signed: canonical JSON (audit/canonical-json.ts) of every recorded field
 * of the signature except the signature itself and the audit link, plus a type marker.
 * Verification rebuilds it from the stored columns; any column changed afterwards shows.
 */
export function pledgePayload(
  row: Omit<PledgeSignature, 'payload' | 'signature' | 'auditEventId'>,
): string {
  return canonicalJson({
    type: PLEDGE_PAYLOAD_TYPE,
    id: row.id,
    firmId: row.firmId,
    conventionVersionId: row.conventionVersionId,
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
 * The signing ceremony and its evidence: only the firm's authorised signatory signs, after
 * typing their registered name, ticking the versioned consent and proving it is them again
 * (password, plus TOTP when enrolled). The record is signed with the association's key and
 * linked into the audit chain in one transaction; anyone can verify it later.
 */
@Injectable()
export class SignaturesService {
  constructor(
    @InjectRepository(PledgeSignature) private readonly signatures: Repository<PledgeSignature>,
    private readonly conventions: ConventionsService,
    private readonly obligations: ObligationsService,
    private readonly keys: SigningKeysService,
    private readonly firms: FirmsService,
    private readonly users: UsersService,
    private readonly mfa: MfaService,
    private readonly throttle: LoginThrottleService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly tx: TransactionService,
  ) {}

  /**
   * Checks that the actor is the firm's signatory and what there is to sign: the version in
   * force. Used by the signing page before anything is typed.
   */
  async prepare(actor: Actor, firmId: string) {
    const firm = await this.firms.findVisible(actor, firmId);
    if (isStaff(actor.role)) throw new MembershipError('FIRM_NOT_FOUND');
    if (firm.signatoryUserId !== actor.id) throw new PledgesError('NOT_SIGNATORY');
    const version = await this.conventions.current();
    const existing = version
      ? await this.signatures.findOneBy({ firmId, conventionVersionId: version.id })
      : null;
    return { firm, version, existing, consent: CURRENT_CONSENT };
  }

  async sign(actor: Actor, input: SignInput, meta: Partial<RequestMeta>): Promise<SignatureView> {
    const { firm, version, existing } = await this.prepare(actor, input.firmId);
    if (!MAY_SIGN.has(firm.status)) throw new PledgesError('FIRM_CANNOT_SIGN');
    if (!version) throw new PledgesError('NOTHING_TO_SIGN');
    if (version.id !== input.conventionVersionId) throw new PledgesError('VERSION_NOT_IN_FORCE');
    if (existing) throw new PledgesError('ALREADY_SIGNED', { signatureId: existing.id });
    if (input.consent !== true) throw new PledgesError('CONSENT_REQUIRED');
    const signer = await this.users.findById(actor.id);
    if (!signer) throw new PledgesError('NOT_SIGNATORY');
    const typedName = normaliseName(input.typedName);
    if (typedName !== normaliseName(signer.name)) throw new PledgesError('TYPED_NAME_MISMATCH');

    // Re-authentication: the signer's own factors, counted by the sign-in throttle so that a
    // session left open is not a way to guess the password.
    const email = normaliseEmail(signer.email);
    const ip = meta.ip ?? null;
    await this.throttle.assertAllowed(email, ip);
    const totpEnrolled = signer.totpEnabledAt !== null;
    const code = input.totpCode?.trim() ?? '';
    if (totpEnrolled && code === '') throw new PledgesError('TOTP_REQUIRED');
    let reauthenticated = await this.users.verifyPassword(signer, input.password);
    if (reauthenticated && totpEnrolled) {
      reauthenticated = await this.tx.run((manager) =>
        this.mfa.acceptTotp(manager, signer.id, code),
      );
    }
    if (!reauthenticated) {
      await this.throttle.recordFailure(email, ip);
      throw new PledgesError('REAUTH_FAILED');
    }
    const authMethod: SignerAuthMethod = totpEnrolled ? 'password+totp' : 'password';

    const signedAt = new Date(Math.floor(Date.now()));
    try {
      const view = await this.tx.run(async (manager) => {
        if (
          await manager.findOneBy(PledgeSignature, {
            firmId: firm.id,
            conventionVersionId: version.id,
          })
        )
          throw new PledgesError('ALREADY_SIGNED');
        const kid = await this.keys.currentKid();
        const fields = {
          id: randomUUID(),
          firmId: firm.id,
          conventionVersionId: version.id,
          textFingerprint: sha256Hex(this.conventions.canonicalText(version)),
          consentVersion: CURRENT_CONSENT.version,
          consentFingerprint: consentFingerprint(CURRENT_CONSENT),
          signerUserId: signer.id,
          typedName,
          signerTitle: normaliseName(input.signerTitle),
          signedAt,
          ip,
          userAgent: meta.userAgent?.slice(0, 500) ?? null,
          authMethod,
          kid,
        };
        const payload = pledgePayload(fields);
        const signed = await this.keys.sign(payload);
        if (signed.kid !== kid) throw new SigningError('SIGNING_KEY_UNAVAILABLE');
        const event = await this.audit.record(manager, {
          actor,
          action: 'pledges.signed',
          subjectType: 'pledge_signature',
          subjectId: fields.id,
          summary: {
            firmId: firm.id,
            conventionVersionId: version.id,
            textFingerprint: fields.textFingerprint,
            payloadSha256: sha256Hex(payload),
            kid,
            signature: signed.signature,
          },
          meta,
        });
        const row: PledgeSignature = {
          ...fields,
          payload,
          signature: signed.signature,
          auditEventId: event.id,
        };
        await manager.insert(PledgeSignature, row);
        await this.obligations.recordSigned(manager, {
          firmId: firm.id,
          conventionVersionId: version.id,
          signatureId: row.id,
          at: signedAt,
        });
        const recipients = new Map<string, 'zh-CN' | 'en'>([[signer.email, signer.locale]]);
        for (const admin of await this.users.firmAdmins(manager, firm.id))
          if (!recipients.has(admin.email)) recipients.set(admin.email, admin.locale);
        for (const [to, locale] of recipients) {
          await this.notifications.queueEmail(manager, {
            to,
            template: 'pledge-receipt',
            locale,
            context: {
              firmName: firm.name,
              versionNumber: version.versionNumber,
              title: locale === 'en' ? (version.titleEn ?? version.titleZh) : version.titleZh,
              signerName: typedName,
              signerTitle: row.signerTitle,
              signedAt: signedAt.toISOString(),
              textFingerprint: row.textFingerprint,
              signatureId: row.id,
              kid,
              signature: row.signature,
              receiptPath: `/pledges/signatures/${row.id}/receipt`,
              verifyPath: `/verify/pledge/${row.id}`,
            },
          });
        }
        return toSignatureView(row);
      });
      return view;
    } catch (error) {
      // Two submissions racing past the check meet the unique index; the loser is told why.
      if (!(error instanceof PledgesError)) {
        const raced = await this.signatures.findOneBy({
          firmId: firm.id,
          conventionVersionId: version.id,
        });
        if (raced) throw new PledgesError('ALREADY_SIGNED', { signatureId: raced.id });
      }
      throw error;
    }
  }

  /** A signature record for its firm's users and staff; anyone else is told it does not exist. */
  async receipt(actor: Actor, id: string): Promise<SignatureView> {
    const row = await this.findRow(id);
    if (!row || !maySeeFirm(actor, row.firmId)) throw new PledgesError('SIGNATURE_NOT_FOUND');
    return toSignatureView(row);
  }

  /** The signature of a version by a firm, if any (the obligation and list views read it). */
  findByFirmAndVersion(
    firmId: string,
    conventionVersionId: string,
  ): Promise<PledgeSignature | null> {
    return this.signatures.findOneBy({ firmId, conventionVersionId });
  }

  /**
   * Public verification of a record: its payload must equal the one rebuilt from its columns,
   * the association's signature over the payload must check with the published key `kid`, and
   * the fingerprint must match the convention version's text as stored now. Anything else is
   * "altered"; an id with no record is "unknown".
   */
  async verify(id: string): Promise<VerificationResult> {
    const row = await this.findRow(id);
    if (!row) return { status: 'unknown', signatureId: id, checks: null, record: null };
    const payloadMatchesRecord = pledgePayload(row) === row.payload;
    const signatureValid = await this.keys.verify(row.kid, row.payload, row.signature);
    const version = await this.conventions.getVersion(row.conventionVersionId).catch(() => null);
    const textMatchesVersion =
      version !== null &&
      sha256Hex(this.conventions.canonicalText(version)) === row.textFingerprint &&
      consentByVersion(row.consentVersion) !== null &&
      consentFingerprint(consentByVersion(row.consentVersion)!) === row.consentFingerprint;
    const valid = payloadMatchesRecord && signatureValid && textMatchesVersion;
    return {
      status: valid ? 'valid' : 'altered',
      signatureId: id,
      checks: { payloadMatchesRecord, signatureValid, textMatchesVersion },
      record: toPublicSignatureView(toSignatureView(row)),
    };
  }

  /**
   * Does a text (pasted or uploaded) match a published version byte for byte once both are in
   * canonical form (NFC, \n line ends, no trailing blanks, one final newline)? Compared with the
   * whole canonical text the fingerprint covers, and with each body on its own.
   */
  async checkText(versionNumber: number, text: string): Promise<TextCheckResult> {
    const version = await this.conventions.getPublished(versionNumber);
    const expected = this.conventions.canonicalText(version);
    const submitted = `${normaliseText(text)}\n`;
    const bodyOf = (body: string | null): string | null =>
      body === null || normaliseText(body) === '' ? null : `${normaliseText(body)}\n`;
    const matchedPart =
      submitted === expected
        ? 'canonical'
        : submitted === bodyOf(version.bodyZh)
          ? 'body.zh'
          : submitted === bodyOf(version.bodyEn)
            ? 'body.en'
            : null;
    return {
      versionNumber,
      matches: matchedPart !== null,
      matchedPart,
      versionFingerprint: sha256Hex(expected),
      submittedFingerprint: sha256Hex(submitted),
    };
  }

  /** The stored signature record (null for an unknown or malformed id). */
  async findRow(id: string): Promise<PledgeSignature | null> {
    if (!UUID.test(id)) return null;
    return this.signatures.findOneBy({ id });
  }

  /** Stored signature records by id, keyed by id (unknown and malformed ids are left out). */
  async findRows(ids: readonly string[]): Promise<Map<string, PledgeSignature>> {
    const wellFormed = [...new Set(ids)].filter((id) => UUID.test(id));
    if (wellFormed.length === 0) return new Map();
    const rows = await this.signatures.findBy({ id: In(wellFormed) });
    return new Map(rows.map((row) => [row.id, row]));
  }
}
