import { Injectable, InternalServerErrorException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Between, type DataSource, MoreThanOrEqual } from 'typeorm';
import type { Actor } from '../../common/auth/auth-context.js';
import { CommonError } from '../../common/errors/domain-error.js';
import { AppConfig } from '../../config/app-config.js';
import { SigningKeysService } from '../signing/signing-keys.service.js';
import { certificatePayload } from './certificate-payload.js';
import { CertificatesError } from './certificates.errors.js';
import { CertificatesService, isCertificateKind } from './certificates.service.js';
import { encodeStatusList, STATUS_LIST_SIZE } from './credentials/bitstring.js';
import {
  isoSeconds,
  withProof,
  type DataIntegrityProof,
  type Unsecured,
} from './credentials/data-integrity.js';
import {
  didDocument,
  didWebOf,
  verificationMethodId,
  type DidDocument,
} from './credentials/did-web.js';
import {
  achievementOf,
  issuerProfile,
  OB_CONTEXT,
  VC_CONTEXT,
  listRange,
  openBadgeCredential,
  statusListCredential,
  type IssuerProfile,
} from './credentials/open-badge.js';
import { Certificate } from './entities/certificate.entity.js';

export type SecuredDocument = Unsecured & { proof: DataIntegrityProof };

/** Serials are short ASCII; anything else is unknown without asking the database. */
const SERIAL_SHAPE = /^[A-Z0-9-]{1,32}$/;
/** Status list numbers as they appear in URLs: 1, 2, ... (no signs, no leading zeros). */
const LIST_SHAPE = /^[1-9][0-9]{0,5}$/;

/**
 * Open standards for certificates (issue 7 §8): each certificate as a W3C Verifiable Credential
 * (Open Badges 3.0 OpenBadgeCredential) with an eddsa-jcs-2022 Data Integrity proof, revocation
 * as Bitstring Status Lists, and the issuer's did:web document listing every signing key. A
 * verifier needs only these public documents, never our pages. See docs/certificates.md.
 */
@Injectable()
export class CredentialsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly certificates: CertificatesService,
    private readonly keys: SigningKeysService,
    private readonly config: AppConfig,
  ) {}

  get did(): string {
    return didWebOf(this.config.PUBLIC_URL);
  }

  private issuer(): IssuerProfile {
    return issuerProfile(this.did, this.config.PUBLIC_URL);
  }

  /** The credential of a certificate the actor may see (staff, or its own firm; others 404). */
  async forActor(
    actor: Actor,
    id: string,
  ): Promise<{ serial: string; credential: SecuredDocument }> {
    const row = await this.certificates.findVisible(actor, id);
    return { serial: row.serial, credential: await this.credentialOf(row) };
  }

  /** The credential by serial, public like /verify/{serial}; unknown serials 404. */
  async bySerial(serial: string): Promise<SecuredDocument> {
    const row = SERIAL_SHAPE.test(serial)
      ? await this.db.manager.findOneBy(Certificate, { serial })
      : null;
    if (!row) throw new CertificatesError('CERTIFICATE_NOT_FOUND');
    return this.credentialOf(row);
  }

  /**
   * The signed credential. Its proof is dated when the certificate was issued and Ed25519 is
   * deterministic, so the same row gives the same bytes until the signing key rotates; after
   * that a download carries the new key's proof, and copies downloaded before still verify
   * because the DID document keeps the old key.
   */
  private async credentialOf(row: Certificate): Promise<SecuredDocument> {
    // Never sign afresh what the certificate's own signature no longer covers (an edited row).
    let intact: boolean;
    try {
      intact =
        certificatePayload(row) === row.payload &&
        (await this.keys.verify(row.kid, row.payload, row.signature));
    } catch {
      intact = false;
    }
    if (!intact)
      throw new InternalServerErrorException(
        'The certificate record no longer matches its signature',
      );
    const document = openBadgeCredential(row, this.issuer(), this.config.PUBLIC_URL);
    return this.sign(document, row.issuedAt);
  }

  /**
   * Status list `list` (1-based) as a signed BitstringStatusListCredential: bit i is 1 when the
   * certificate with status index (list - 1) * 131072 + i is revoked. Built on each request from
   * one indexed query, so a revocation shows at once. List 1 always exists; later lists once a
   * certificate has an index in them; others 404.
   */
  async statusList(listParam: string): Promise<SecuredDocument> {
    if (!LIST_SHAPE.test(listParam)) throw new CommonError('NOT_FOUND');
    const list = Number(listParam);
    const { first, last } = listRange(list);
    if (list > 1) {
      const used = await this.db.manager.exists(Certificate, {
        where: { statusIndex: MoreThanOrEqual(first) },
      });
      if (!used) throw new CommonError('NOT_FOUND');
    }
    const now = new Date();
    const revoked = await this.db.manager.find(Certificate, {
      select: { id: true, statusIndex: true },
      where: { statusIndex: Between(first, last), status: 'revoked' },
    });
    const bits = revoked.map((row) => (row.statusIndex ?? 0) - first);
    const document = statusListCredential(
      this.config.PUBLIC_URL,
      this.did,
      list,
      encodeStatusList(bits, STATUS_LIST_SIZE),
      isoSeconds(now),
    );
    return this.sign(document, now);
  }

  /** The Achievement a credential's `achievement.id` names (one per kind); others 404. */
  achievement(kind: string): Record<string, unknown> {
    if (!isCertificateKind(kind)) throw new CommonError('NOT_FOUND');
    return {
      '@context': [VC_CONTEXT, OB_CONTEXT],
      ...achievementOf(kind, this.issuer(), this.config.PUBLIC_URL),
    };
  }

  /** The did:web document: every published key, current and retired, as a Multikey. */
  async didDocument(): Promise<DidDocument> {
    const { keys } = await this.keys.jwks();
    return didDocument(
      this.did,
      keys.map((jwk) => ({ kid: jwk.kid, publicKey: Buffer.from(jwk.x, 'base64url') })),
    );
  }

  private async sign<T extends Unsecured>(
    document: T,
    created: Date,
  ): Promise<T & { proof: DataIntegrityProof }> {
    const kid = await this.keys.currentKid();
    return withProof(
      document,
      {
        type: 'DataIntegrityProof',
        cryptosuite: 'eddsa-jcs-2022',
        created: isoSeconds(created),
        verificationMethod: verificationMethodId(this.did, kid),
        proofPurpose: 'assertionMethod',
      },
      async (data) => {
        const signed = await this.keys.sign(data);
        // A rotation between the two calls would name one key and sign with another.
        if (signed.kid !== kid) throw new CommonError('CONFLICT');
        return Buffer.from(signed.signature, 'base64url');
      },
    );
  }
}
