import { createHash } from 'node:crypto';

/**
 * The mediation rules a complainant accepts when filing. The ticket keeps the version it was
 * filed under (consentVersion) and the filing event keeps its SHA-256 fingerprint, so a changed
 * wording needs a new version here: never edit a published one (old filings would no longer
 * match their fingerprint).
 */
export interface MediationRules {
  version: string;
  zh: string;
  en: string;
}

export const RULES_2026_1: MediationRules = {
  version: 'rules-2026-1',
  zh: [
    '一、深圳市互联网金融协会（以下简称“协会”）依据本规则，对投诉人与会员单位之间的金融消费纠纷进行调解。调解遵循自愿、合法、公正、保密的原则。',
    '二、协会在收到投诉后 2 个工作日内决定是否受理；被投诉机构应在受理后 5 个工作日内答复；调解应在 30 个工作日内完成，经双方同意可延长一次。',
    '三、协会指派或由调解员认领案件；调解员与任一方存在利益关系的，应当回避。双方各可对调解员申请回避一次。',
    '四、调解过程中的陈述与材料仅用于本次调解。除法律另有规定外，协会及调解员不对外披露。投诉人的联系方式在调解员决定披露前不向被投诉机构提供。',
    '五、双方达成的调解协议以电子方式签署，可依法申请司法确认。调解不成的，投诉人可以通过诉讼、仲裁等途径解决。',
    '六、投诉人保证所提交的信息真实、完整，并同意协会为处理投诉而使用这些信息。',
  ].join('\n'),
  en: [
    '1. The Shenzhen Internet Finance Association ("the association") mediates financial consumer disputes between complainants and member firms under these rules. Mediation is voluntary, lawful, impartial and confidential.',
    '2. The association decides within 2 working days whether to accept a complaint; the firm answers within 5 working days of acceptance; mediation ends within 30 working days, extendable once with both parties’ consent.',
    '3. The association assigns a mediator or lets one take the case; a mediator with a tie to either party must step aside. Each party may challenge the mediator once.',
    '4. Statements and documents in the mediation serve this mediation only and are not disclosed by the association or the mediator unless the law requires it. The complainant’s contact details reach the firm only when the mediator releases them.',
    '5. A settlement is signed electronically and may be submitted for judicial confirmation. If mediation fails, the complainant may go to court or arbitration.',
    '6. The complainant warrants that the information given is true and complete and agrees that the association uses it to handle the complaint.',
  ].join('\n'),
};

/** The rules in force for new filings. */
export const CURRENT_RULES = RULES_2026_1;

const ALL_RULES: Record<string, MediationRules> = { [RULES_2026_1.version]: RULES_2026_1 };

export function rulesByVersion(version: string): MediationRules | null {
  return Object.prototype.hasOwnProperty.call(ALL_RULES, version) ? ALL_RULES[version] : null;
}

/** The hashed form: version line, Chinese, English, NFC, each block ending with a newline. */
export function canonicalRules(rules: MediationRules): string {
  return `${rules.version}\n${rules.zh}\n${rules.en}\n`.normalize('NFC');
}

export function rulesFingerprint(rules: MediationRules): string {
  return createHash('sha256').update(canonicalRules(rules), 'utf8').digest('hex');
}
