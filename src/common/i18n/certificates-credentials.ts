/**
 * Certificates catalogue, open standards (issue 7 §8): Verifiable Credential / Open Badges downloads and links. Exports { zh, en } with the same keys (the type checker enforces it).
 */
const zh = {
  'certificates.credentials.download': '下载电子凭证（JSON）',
  'certificates.credentials.heading': '开放标准电子凭证',
  'certificates.credentials.lead':
    '本证书也以 W3C 可验证凭证（Open Badges 3.0）格式提供，可导入数字钱包，第三方无需本网站即可用协会公布的密钥核验其签名，并通过公开的状态列表查询是否已撤销。',
  'certificates.credentials.did': '签发方 DID 文档：',
};

const en: Record<keyof typeof zh, string> = {
  'certificates.credentials.download': 'Download credential (JSON)',
  'certificates.credentials.heading': 'Open-standard credential',
  'certificates.credentials.lead':
    'This certificate is also available as a W3C Verifiable Credential (Open Badges 3.0) for digital wallets: anyone can check its signature with the keys the association publishes, and whether it was revoked from the public status list, without this site.',
  'certificates.credentials.did': "Issuer's DID document:",
};

export const certificatesCredentialsMessages = { zh, en };
