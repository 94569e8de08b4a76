import { canonicalJson } from '../audit/canonical-json.js';
import type { Certificate } from './entities/certificate.entity.js';

/** The payload type tag; a new shape of payload gets a new version. */
export const CERTIFICATE_PAYLOAD_TYPE = 'szifa.certificate/v1';

/** The row's columns that the signature covers. */
export type CertificatePayloadSource = Pick<
  Certificate,
  | 'serial'
  | 'kind'
  | 'firmId'
  | 'subjectKey'
  | 'facts'
  | 'issuedOn'
  | 'expiresOn'
  | 'verifyUrl'
  | 'pdfSha256'
  | 'kid'
>;

/**
 * The canonical JSON that a certificate's Ed25519 signature covers, rebuilt from the row's
 * columns (`facts` is the stored JSON text, parsed so that the payload nests it as an object).
 * Issuance stores this string as `payload` and signs it; verification rebuilds it and compares,
 * so a changed column shows as a payload that no longer matches the record.
 */
export function certificatePayload(row: CertificatePayloadSource): string {
  return canonicalJson({
    type: CERTIFICATE_PAYLOAD_TYPE,
    serial: row.serial,
    kind: row.kind,
    firmId: row.firmId,
    subjectKey: row.subjectKey,
    facts: JSON.parse(row.facts) as unknown,
    issuedOn: row.issuedOn,
    expiresOn: row.expiresOn,
    verifyUrl: row.verifyUrl,
    pdfSha256: row.pdfSha256,
    kid: row.kid,
  });
}
