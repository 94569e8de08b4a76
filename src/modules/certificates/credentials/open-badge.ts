import type { Certificate } from '../entities/certificate.entity.js';
import type { CertificateKind, HolderFacts } from '../pdf/certificate-facts.js';
import { STATUS_LIST_SIZE, statusPosition } from './bitstring.js';
import type { Unsecured } from './data-integrity.js';

export const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';

/** The issuer as credentials name it; `name` carries both languages (OB 3.0 wants a string). */
export interface IssuerProfile {
  id: string;
  type: ['Profile'];
  name: string;
  url: string;
}

export function issuerProfile(did: string, publicUrl: string): IssuerProfile {
  return {
    id: did,
    type: ['Profile'],
    name: '深圳市互联网金融协会 (Shenzhen Internet Finance Association)',
    url: publicUrl,
  };
}

interface AchievementText {
  /** Open Badges AchievementType. */
  achievementType: string;
  kindZh: string;
  kindEn: string;
  name: string;
  description: string;
  criteria: string;
}

/** What each kind of certificate attests, in both languages. */
const ACHIEVEMENTS: Record<CertificateKind, AchievementText> = {
  membership: {
    achievementType: 'Membership',
    kindZh: '会员证书',
    kindEn: 'Membership certificate',
    name: '深圳市互联网金融协会会员 / Member of the Shenzhen Internet Finance Association',
    description:
      '持有机构为深圳市互联网金融协会会员。 / The holder is a member firm of the Shenzhen Internet Finance Association.',
    criteria:
      '发证时持有机构为协会有效会员；证书所载会员年度为当年，或为会费已结清的下一年度。 / When issued, the holder was an active member, certified for the membership year stated (the current year, or the next once its dues were settled).',
  },
  pledge: {
    achievementType: 'Certificate',
    kindZh: '自律公约签署证明',
    kindEn: 'Convention signing certificate',
    name: '深圳市互联网金融协会自律公约签署机构 / Signatory of the SZIFA self-regulatory convention',
    description:
      '持有机构已签署深圳市互联网金融协会自律公约。 / The holder has signed the self-regulatory convention of the Shenzhen Internet Finance Association.',
    criteria:
      '发证时持有机构对现行版本公约的电子签署经协会核验有效。 / When issued, the association had verified the holder’s electronic signature of the convention version in force.',
  },
  rating: {
    achievementType: 'Certificate',
    kindZh: '信用评级证书',
    kindEn: 'Credit rating certificate',
    name: '深圳市互联网金融协会信用评级 / SZIFA credit rating',
    description:
      '持有机构获得深圳市互联网金融协会发布的信用评级。 / The holder holds a credit rating published by the Shenzhen Internet Finance Association.',
    criteria:
      '发证时证书所载等级为持有机构当前已发布的评级，且无待决申诉。 / When issued, the grade stated was the holder’s current published rating, with no appeal pending.',
  },
};

/** What a kind of certificate attests, as an Open Badges Achievement; its id is served too. */
export function achievementOf(
  kind: CertificateKind,
  issuer: IssuerProfile,
  publicUrl: string,
): Record<string, unknown> {
  const text = ACHIEVEMENTS[kind];
  return {
    id: `${publicUrl}/credentials/achievements/${kind}`,
    type: ['Achievement'],
    achievementType: text.achievementType,
    name: text.name,
    description: text.description,
    criteria: { narrative: text.criteria },
    creator: issuer,
  };
}

export type CredentialSource = Pick<
  Certificate,
  'serial' | 'kind' | 'facts' | 'issuedOn' | 'expiresOn' | 'verifyUrl' | 'statusIndex'
>;

export function statusListUrl(publicUrl: string, list: number): string {
  return `${publicUrl}/credentials/status/${list}`;
}

export function credentialUrl(publicUrl: string, serial: string): string {
  return `${publicUrl}/credentials/${serial}`;
}

/**
 * The Open Badges 3.0 credential (VC Data Model 2.0) of a certificate, before its proof; the
 * same row always gives the same document. Validity runs from the start of the issue date to the
 * end of the expiry date, Beijing time (the dates printed on the certificate).
 */
export function openBadgeCredential(
  row: CredentialSource,
  issuer: IssuerProfile,
  publicUrl: string,
): Unsecured {
  const text = ACHIEVEMENTS[row.kind];
  const facts = JSON.parse(row.facts) as { holder: HolderFacts } & Record<string, unknown>;
  const credential: Unsecured = {
    '@context': [VC_CONTEXT, OB_CONTEXT],
    id: credentialUrl(publicUrl, row.serial),
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: `${text.kindZh} / ${text.kindEn} ${row.serial}`,
    description: `${facts.holder.firmNameZh}${facts.holder.firmNameEn ? ` (${facts.holder.firmNameEn})` : ''} — ${text.kindZh} / ${text.kindEn}. 核验 / Verify: ${row.verifyUrl}`,
    issuer,
    validFrom: `${row.issuedOn}T00:00:00+08:00`,
    validUntil: `${row.expiresOn}T23:59:59+08:00`,
    credentialSubject: {
      type: ['AchievementSubject'],
      // The unified social credit code (统一社会信用代码) is public and identifies the firm.
      identifier: [
        {
          type: 'IdentityObject',
          identityHash: facts.holder.creditCode,
          identityType: 'identifier',
          hashed: false,
        },
      ],
      achievement: achievementOf(row.kind, issuer, publicUrl),
      // What the PDF prints, as issued and signed (issuer-dependent terms).
      certificate: {
        serial: row.serial,
        kind: row.kind,
        issuedOn: row.issuedOn,
        expiresOn: row.expiresOn,
        verifyUrl: row.verifyUrl,
        facts,
      },
    },
  };
  if (row.statusIndex !== null) {
    const { list, bit } = statusPosition(row.statusIndex);
    const listUrl = statusListUrl(publicUrl, list);
    credential.credentialStatus = {
      id: `${listUrl}#${bit}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(bit),
      statusListCredential: listUrl,
    };
  }
  return credential;
}

/**
 * The status list credential of list `list` (1-based), before its proof. The issuer is the bare
 * DID: this document uses only the VC context, which has no Profile type.
 */
export function statusListCredential(
  publicUrl: string,
  issuer: string,
  list: number,
  encodedList: string,
  validFrom: string,
): Unsecured {
  const url = statusListUrl(publicUrl, list);
  return {
    '@context': [VC_CONTEXT],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer,
    validFrom,
    credentialSubject: {
      id: `${url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: 'revocation',
      encodedList,
    },
  };
}

/** First and last status index of a list, for the query that fills it. */
export function listRange(list: number): { first: number; last: number } {
  const first = (list - 1) * STATUS_LIST_SIZE;
  return { first, last: first + STATUS_LIST_SIZE - 1 };
}
