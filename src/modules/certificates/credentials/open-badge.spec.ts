import { describe, expect, it } from '@jest/globals';
import {
  issuerProfile,
  openBadgeCredential,
  statusListCredential,
  type CredentialSource,
} from './open-badge.js';

const url = 'https://szifa.example';
const issuer = issuerProfile('did:web:szifa.example', url);
const row: CredentialSource = {
  serial: 'SZIFA-RAT-2026-000007',
  kind: 'rating',
  facts: JSON.stringify({
    holder: { firmNameZh: '深圳示例', firmNameEn: null, creditCode: '91440300MA5XXXXXX1' },
    grade: 'AA',
    ratingYear: 2026,
    publishedOn: '2026-03-01',
  }),
  issuedOn: '2026-03-02',
  expiresOn: '2027-03-01',
  verifyUrl: `${url}/verify/SZIFA-RAT-2026-000007`,
  statusIndex: 131074,
};

describe('Open Badges credential of a certificate', () => {
  it('runs from the start of the issue date to the end of the expiry date, Beijing time', () => {
    expect(openBadgeCredential(row, issuer, url)).toMatchObject({
      validFrom: '2026-03-02T00:00:00+08:00',
      validUntil: '2027-03-01T23:59:59+08:00',
    });
  });

  it('points past the first list for status indexes beyond 131071, with the index inside that list', () => {
    expect(openBadgeCredential(row, issuer, url).credentialStatus).toEqual({
      id: `${url}/credentials/status/2#2`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '2',
      statusListCredential: `${url}/credentials/status/2`,
    });
  });

  it('has no status entry for a certificate without a status index', () => {
    expect(openBadgeCredential({ ...row, statusIndex: null }, issuer, url)).not.toHaveProperty(
      'credentialStatus',
    );
  });

  it('is the same document for the same row', () => {
    expect(JSON.stringify(openBadgeCredential(row, issuer, url))).toBe(
      JSON.stringify(openBadgeCredential({ ...row }, issuer, url)),
    );
  });
});

describe('status list credential', () => {
  it('names its list with a #list subject and the revocation purpose', () => {
    expect(statusListCredential(url, issuer.id, 3, 'uAAAA', '2026-01-01T00:00:00Z')).toMatchObject({
      id: `${url}/credentials/status/3`,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: issuer.id,
      credentialSubject: {
        id: `${url}/credentials/status/3#list`,
        type: 'BitstringStatusList',
        statusPurpose: 'revocation',
        encodedList: 'uAAAA',
      },
    });
  });
});
