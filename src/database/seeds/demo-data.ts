import type { Role } from '../../common/auth/roles.js';
import type { Category } from '../../modules/membership/categories.js';
import { CREDIT_CODE_ALPHABET, creditCodeCheckChar } from '../../modules/membership/credit-code.js';
import type { District } from '../../modules/membership/districts.js';
import type { FirmStatus, TierCode } from '../../modules/membership/entities/firm.entity.js';
import type { SanctionReasonCategory } from '../../modules/membership/membership.state.js';

/**
 * The demo association: invented firms and people (any likeness to a real firm is accidental).
 * Everything here is fixed, so every run of `seed:demo` produces the same records.
 */

/** Demo accounts live under this domain; firm users under `<firm slug>.` + this domain. */
export const DEMO_DOMAIN = 'demo.szifa.org.cn';

/**
 * One memorable password per role, printed after seeding and listed in README.md. They must
 * pass the password policy (no e-mail name inside, not a common password).
 */
export const DEMO_PASSWORDS: Record<Role, string> = {
  staff_admin: 'Demo-Staff-2026',
  staff_reviewer: 'Demo-Review-2026',
  mediator: 'Demo-Mediate-2026',
  firm_admin: 'Demo-Firm-2026',
  firm_member: 'Demo-Member-2026',
  complainant: 'Demo-Public-2026',
};

export interface DemoPerson {
  /** Local part of the e-mail address. */
  login: string;
  name: string;
  locale?: 'zh-CN' | 'en';
}

export const DEMO_STAFF_ADMINS: DemoPerson[] = [
  { login: 'admin', name: '王海燕' },
  { login: 'zhou.min', name: '周敏' },
];

export const DEMO_REVIEWERS: DemoPerson[] = [
  { login: 'reviewer', name: '李俊峰' },
  { login: 'chen.jing', name: '陈静', locale: 'en' },
];

export const DEMO_MEDIATORS: DemoPerson[] = [
  { login: 'mediator', name: '何建国' },
  { login: 'lin.xiaohong', name: '林晓红' },
  { login: 'huang.zhiqiang', name: '黄志强' },
  { login: 'xu.li', name: '许丽' },
];

export const DEMO_COMPLAINANTS: DemoPerson[] = [
  { login: 'complainant', name: '陈晓雨' },
  { login: 'zhang.wei', name: '张伟' },
  { login: 'liu.yang', name: '刘洋' },
  { login: 'huang.mei', name: '黄梅' },
  { login: 'deng.zhiwei', name: '邓志伟' },
  { login: 'emily.chan', name: 'Emily Chan', locale: 'en' },
];

/** Lines of business the association's members are in (kept for later seed sections). */
export type DemoBusiness =
  | 'payment'
  | 'cross_border_payment'
  | 'online_lending'
  | 'consumer_instalments'
  | 'crowdfunding'
  | 'wealth_sales'
  | 'robo_advice'
  | 'supply_chain_finance'
  | 'factoring'
  | 'leasing'
  | 'insurance_brokerage'
  | 'credit_information'
  | 'risk_data'
  | 'financial_information';

/**
 * How a demo firm came to the platform and what happened to it since. The seed replays each
 * journey through the membership services, so the records are what the workflows produce.
 *
 * - `imported`: a member from before the platform, brought in with the CSV member import, with
 *   last year's and this year's dues paid (or waived), and then possibly sanctioned, lapsed
 *   (last year's dues never paid) or withdrawn.
 * - `applied`: registered on the platform this year and applied; the application stops at
 *   `stage`. Approved firms are invoiced pro rata and pay all, part or nothing of it.
 */
export type DemoJourney =
  | {
      origin: 'imported';
      tier: TierCode;
      /** YYYY-MM-DD: when the firm joined the association. */
      memberSince: string;
      /** This year's renewal invoice (last year's is always paid, except for `lapsed`). */
      dues: 'paid' | 'waived';
      then?:
        | { status: 'suspended'; reasonCategory: SanctionReasonCategory; reason: string }
        | { status: 'expelled'; reasonCategory: SanctionReasonCategory; reason: string }
        | { status: 'lapsed' }
        | { status: 'withdrawn' };
      /** A change of a reviewed field the firm asked for and staff have not decided yet. */
      pendingChange?: { legalRepresentative: string };
    }
  | {
      origin: 'applied';
      tier: TierCode;
      stage: 'draft' | 'submitted' | 'under_review' | 'changes_requested' | 'rejected' | 'approved';
      /** Approved firms: how much of the first (pro-rated) invoice is paid. */
      dues?: 'paid' | 'partial' | 'unpaid';
      /** Approved firms: staff first asked for changes, and the firm resubmitted. */
      resubmitted?: boolean;
    };

/** The registered facts of a firm (营业执照 details), as its profile shows them. */
export interface DemoProfile {
  /** 法定代表人. */
  legalRepresentative: string;
  /** 注册资本 in yuan. */
  registeredCapital: string;
  establishedOn: string;
  /** Street address; the district's name is put in front of it. */
  street: string;
}

export interface DemoFirm {
  /** Stable handle: the firm users' e-mail subdomain and how later sections refer to it. */
  slug: string;
  name: string;
  nameEn: string;
  district: District;
  business: DemoBusiness;
  journey: DemoJourney;
  profile: DemoProfile;
  locale?: 'zh-CN' | 'en';
}

export const DEMO_FIRMS: DemoFirm[] = [
  {
    slug: 'pengcheng-yifu',
    name: '深圳市鹏程易付科技有限公司',
    nameEn: 'Shenzhen Pengcheng Yifu Technology Co., Ltd.',
    district: 'futian',
    business: 'payment',
    journey: { origin: 'imported', tier: 'president', memberSince: '2015-06-18', dues: 'paid' },
    profile: {
      legalRepresentative: '杨志远',
      registeredCapital: '100000000',
      establishedOn: '2012-08-20',
      street: '深南大道 6008 号鹏程金融大厦 28 层',
    },
  },
  {
    slug: 'fuhua-wealth',
    name: '深圳市福华财富基金销售有限公司',
    nameEn: 'Shenzhen Fuhua Wealth Fund Sales Co., Ltd.',
    district: 'futian',
    business: 'wealth_sales',
    journey: {
      origin: 'imported',
      tier: 'vice_president',
      memberSince: '2016-03-09',
      dues: 'paid',
    },
    profile: {
      legalRepresentative: '林佩珊',
      registeredCapital: '50000000',
      establishedOn: '2013-05-16',
      street: '福华三路 88 号财富中心 19 层',
    },
  },
  {
    slug: 'cgm-riskdata',
    name: '深圳市车公庙风控数据科技有限公司',
    nameEn: 'Shenzhen Chegongmiao Risk Data Technology Co., Ltd.',
    district: 'futian',
    business: 'risk_data',
    journey: { origin: 'applied', tier: 'council', stage: 'approved', dues: 'partial' },
    profile: {
      legalRepresentative: '邓思远',
      registeredCapital: '20000000',
      establishedOn: '2017-11-02',
      street: '车公庙泰然九路 3 号 11 层',
    },
  },
  {
    slug: 'dongmen-puhui',
    name: '深圳市东门普惠网络小额贷款有限公司',
    nameEn: 'Shenzhen Dongmen Inclusive Online Microcredit Co., Ltd.',
    district: 'luohu',
    business: 'online_lending',
    journey: { origin: 'imported', tier: 'council', memberSince: '2016-11-22', dues: 'paid' },
    profile: {
      legalRepresentative: '罗振华',
      registeredCapital: '500000000',
      establishedOn: '2014-12-08',
      street: '东门中路 1011 号 15 层',
    },
  },
  {
    slug: 'sungang-lianrong',
    name: '深圳市笋岗链融供应链金融服务有限公司',
    nameEn: 'Shenzhen Sungang Lianrong Supply Chain Finance Services Co., Ltd.',
    district: 'luohu',
    business: 'supply_chain_finance',
    journey: { origin: 'imported', tier: 'member', memberSince: '2017-05-08', dues: 'waived' },
    profile: {
      legalRepresentative: '曾国栋',
      registeredCapital: '30000000',
      establishedOn: '2015-09-23',
      street: '笋岗东路 3002 号 8 层',
    },
  },
  {
    slug: 'shekou-yunchou',
    name: '深圳市蛇口云筹网络科技有限公司',
    nameEn: 'Shenzhen Shekou Yunchou Network Technology Co., Ltd.',
    district: 'nanshan',
    business: 'crowdfunding',
    journey: {
      origin: 'imported',
      tier: 'member',
      memberSince: '2017-09-14',
      dues: 'paid',
      then: {
        status: 'suspended',
        reasonCategory: 'regulatory_action',
        reason: '深圳证监局对该公司未经核准开展股权众筹业务立案调查，调查结论作出前暂停会籍。',
      },
    },
    profile: {
      legalRepresentative: '苏建明',
      registeredCapital: '10000000',
      establishedOn: '2015-03-30',
      street: '蛇口望海路 1177 号 5 层',
    },
  },
  {
    slug: 'kexing-zhitou',
    name: '深圳市科兴智投科技有限公司',
    nameEn: 'Shenzhen Kexing Zhitou Technology Co., Ltd.',
    district: 'nanshan',
    business: 'robo_advice',
    journey: { origin: 'applied', tier: 'member', stage: 'approved', dues: 'paid' },
    profile: {
      legalRepresentative: '任一帆',
      registeredCapital: '10000000',
      establishedOn: '2018-06-12',
      street: '科兴科学园 B 栋 12 层',
    },
  },
  {
    slug: 'houhai-xinlian',
    name: '深圳市后海信联征信服务有限公司',
    nameEn: 'Shenzhen Houhai Xinlian Credit Information Services Co., Ltd.',
    district: 'nanshan',
    business: 'credit_information',
    journey: {
      origin: 'imported',
      tier: 'vice_president',
      memberSince: '2018-01-15',
      dues: 'paid',
      pendingChange: { legalRepresentative: '欧阳明辉' },
    },
    profile: {
      legalRepresentative: '郭文涛',
      registeredCapital: '60000000',
      establishedOn: '2016-02-19',
      street: '后海大道 2388 号 21 层',
    },
  },
  {
    slug: 'yangang-pay',
    name: '深圳市盐港跨境支付服务有限公司',
    nameEn: 'Shenzhen Yangang Cross-border Payment Services Co., Ltd.',
    district: 'yantian',
    business: 'cross_border_payment',
    journey: { origin: 'applied', tier: 'member', stage: 'approved', dues: 'unpaid' },
    profile: {
      legalRepresentative: '梁海生',
      registeredCapital: '100000000',
      establishedOn: '2016-07-07',
      street: '盐田港保税区北山道 146 号 4 层',
    },
  },
  {
    slug: 'xixiang-rongtong',
    name: '深圳市西乡融通商业保理有限公司',
    nameEn: 'Shenzhen Xixiang Rongtong Commercial Factoring Co., Ltd.',
    district: 'baoan',
    business: 'factoring',
    journey: {
      origin: 'imported',
      tier: 'member',
      memberSince: '2018-07-02',
      dues: 'paid',
      then: { status: 'lapsed' },
    },
    profile: {
      legalRepresentative: '黄德胜',
      registeredCapital: '50000000',
      establishedOn: '2016-10-11',
      street: '西乡街道宝源路 1065 号 7 层',
    },
  },
  {
    slug: 'konggang-fenqi',
    name: '深圳市空港分期消费服务有限公司',
    nameEn: 'Shenzhen Konggang Consumer Instalment Services Co., Ltd.',
    district: 'baoan',
    business: 'consumer_instalments',
    journey: {
      origin: 'imported',
      tier: 'member',
      memberSince: '2019-04-25',
      dues: 'paid',
      then: {
        status: 'expelled',
        reasonCategory: 'misconduct',
        reason:
          '以“零利率分期”名义变相收取高额服务费，经多次约谈拒不整改，经理事会审议决定开除会籍。',
      },
    },
    profile: {
      legalRepresentative: '马俊杰',
      registeredCapital: '20000000',
      establishedOn: '2017-04-18',
      street: '航城街道航空路 7 号 9 层',
    },
  },
  {
    slug: 'dayun-shuke',
    name: '深圳市大运数科金融信息服务有限公司',
    nameEn: 'Shenzhen Dayun Digital Financial Information Services Co., Ltd.',
    district: 'longgang',
    business: 'financial_information',
    journey: {
      origin: 'applied',
      tier: 'vice_president',
      stage: 'approved',
      dues: 'paid',
      resubmitted: true,
    },
    profile: {
      legalRepresentative: '彭立新',
      registeredCapital: '80000000',
      establishedOn: '2015-12-01',
      street: '龙城街道大运软件小镇 17 栋',
    },
  },
  {
    slug: 'buji-ankang',
    name: '深圳市布吉安康保险经纪有限公司',
    nameEn: 'Shenzhen Buji Ankang Insurance Brokerage Co., Ltd.',
    district: 'longgang',
    business: 'insurance_brokerage',
    journey: {
      origin: 'imported',
      tier: 'member',
      memberSince: '2020-08-19',
      dues: 'paid',
      then: { status: 'withdrawn' },
    },
    profile: {
      legalRepresentative: '钟丽萍',
      registeredCapital: '50000000',
      establishedOn: '2018-03-27',
      street: '布吉街道吉华路 288 号 6 层',
    },
  },
  {
    slug: 'guanlan-jurong',
    name: '深圳市观澜聚融网络借贷信息服务有限公司',
    nameEn: 'Shenzhen Guanlan Jurong Online Lending Information Services Co., Ltd.',
    district: 'longhua',
    business: 'online_lending',
    journey: { origin: 'applied', tier: 'member', stage: 'changes_requested' },
    profile: {
      legalRepresentative: '谢永强',
      registeredCapital: '10000000',
      establishedOn: '2019-05-15',
      street: '观澜街道环观南路 46 号 3 层',
    },
  },
  {
    slug: 'minzhi-lianjin',
    name: '深圳市民治链金区块链科技有限公司',
    nameEn: 'Shenzhen Minzhi Lianjin Blockchain Technology Co., Ltd.',
    district: 'longhua',
    business: 'supply_chain_finance',
    journey: { origin: 'imported', tier: 'council', memberSince: '2021-03-30', dues: 'paid' },
    profile: {
      legalRepresentative: '叶晓东',
      registeredCapital: '30000000',
      establishedOn: '2018-09-06',
      street: '民治街道民康路 99 号 13 层',
    },
  },
  {
    slug: 'xinneng-leasing',
    name: '深圳市坪山新能融资租赁有限公司',
    nameEn: 'Shenzhen Pingshan Xinneng Financial Leasing Co., Ltd.',
    district: 'pingshan',
    business: 'leasing',
    journey: { origin: 'applied', tier: 'council', stage: 'under_review' },
    profile: {
      legalRepresentative: '韦国强',
      registeredCapital: '170000000',
      establishedOn: '2019-01-22',
      street: '坪山大道 2007 号 10 层',
    },
  },
  {
    slug: 'kexuecheng-puhui',
    name: '深圳市光明科学城数字普惠科技有限公司',
    nameEn: 'Shenzhen Guangming Science City Digital Inclusive Finance Technology Co., Ltd.',
    district: 'guangming',
    business: 'online_lending',
    journey: { origin: 'applied', tier: 'member', stage: 'rejected' },
    profile: {
      legalRepresentative: '范文博',
      registeredCapital: '10000000',
      establishedOn: '2021-06-30',
      street: '光明科学城启动区 2 栋 5 层',
    },
  },
  {
    slug: 'dapengwan-haiyang',
    name: '深圳市大鹏湾海洋供应链金融有限公司',
    nameEn: 'Shenzhen Dapeng Bay Marine Supply Chain Finance Co., Ltd.',
    district: 'dapeng',
    business: 'supply_chain_finance',
    journey: { origin: 'applied', tier: 'member', stage: 'submitted' },
    profile: {
      legalRepresentative: '潘海洋',
      registeredCapital: '20000000',
      establishedOn: '2020-04-09',
      street: '大鹏街道鹏飞路 8 号 2 层',
    },
  },
  {
    slug: 'qh-tonghui',
    name: '深圳前海深港通汇跨境金融科技有限公司',
    nameEn: 'Shenzhen Qianhai Shengang Tonghui Cross-border Fintech Co., Ltd.',
    district: 'qianhai',
    business: 'cross_border_payment',
    journey: { origin: 'imported', tier: 'member', memberSince: '2022-05-16', dues: 'paid' },
    profile: {
      legalRepresentative: '陈嘉伦',
      registeredCapital: '100000000',
      establishedOn: '2019-08-28',
      street: '前湾一路 1 号 A 栋 201 室',
    },
    locale: 'en',
  },
  {
    slug: 'qh-wanqu-chou',
    name: '深圳前海湾区股权众筹服务有限公司',
    nameEn: 'Shenzhen Qianhai Bay Area Equity Crowdfunding Services Co., Ltd.',
    district: 'qianhai',
    business: 'crowdfunding',
    journey: { origin: 'applied', tier: 'member', stage: 'draft' },
    profile: {
      legalRepresentative: '何启明',
      registeredCapital: '10000000',
      establishedOn: '2022-11-11',
      street: '梦海大道 5035 号 9 层',
    },
  },
];

/** People working at member firms, handed out in order: each firm's admin, then its members. */
export const DEMO_FIRM_PEOPLE: DemoPerson[] = [
  { login: 'zhao.lei', name: '赵磊' },
  { login: 'qian.fang', name: '钱芳' },
  { login: 'sun.hao', name: '孙浩' },
  { login: 'li.na', name: '李娜' },
  { login: 'zhou.jie', name: '周杰' },
  { login: 'wu.qian', name: '吴倩' },
  { login: 'zheng.kai', name: '郑凯' },
  { login: 'wang.fang', name: '王芳' },
  { login: 'feng.tao', name: '冯涛' },
  { login: 'chen.lin', name: '陈琳' },
  { login: 'chu.ming', name: '褚明' },
  { login: 'wei.dong', name: '卫东' },
  { login: 'jiang.lihua', name: '蒋丽华' },
  { login: 'shen.bing', name: '沈冰' },
  { login: 'han.xue', name: '韩雪' },
  { login: 'yang.fan', name: '杨帆' },
  { login: 'zhu.ting', name: '朱婷' },
  { login: 'qin.chuan', name: '秦川' },
  { login: 'you.jia', name: '尤佳' },
  { login: 'xu.nuo', name: '许诺' },
  { login: 'he.jing', name: '何静' },
  { login: 'lv.qiang', name: '吕强' },
  { login: 'shi.wen', name: '施雯' },
  { login: 'zhang.ying', name: '张颖' },
  { login: 'kong.liang', name: '孔亮' },
  { login: 'cao.yang', name: '曹阳' },
  { login: 'yan.min', name: '严敏' },
  { login: 'hua.chen', name: '华晨' },
  { login: 'jin.xin', name: '金鑫' },
  { login: 'wei.ran', name: '魏然' },
  { login: 'tao.ran', name: '陶然' },
  { login: 'jiang.ning', name: '姜宁' },
  { login: 'qi.wei', name: '戚薇' },
  { login: 'xie.yu', name: '谢宇' },
  { login: 'zou.qing', name: '邹晴' },
  { login: 'yu.xin', name: '喻欣' },
  { login: 'bai.song', name: '柏松' },
  { login: 'su.qing', name: '苏清' },
  { login: 'dou.peng', name: '窦鹏' },
  { login: 'zhang.cheng', name: '章程' },
  { login: 'yun.fei', name: '云飞' },
  { login: 'su.hang', name: '苏航' },
  { login: 'pan.ting', name: '潘婷' },
  { login: 'ge.liang', name: '葛亮' },
  { login: 'xi.meng', name: '奚梦' },
  { login: 'fan.wei', name: '范伟' },
  { login: 'peng.bo', name: '彭博' },
  { login: 'lang.yue', name: '郎月' },
  { login: 'lu.ning', name: '鲁宁' },
  { login: 'wei.hua', name: '韦华' },
];

/** Members per firm: two at every other firm, one at the rest. */
export function demoMemberCount(firmIndex: number): number {
  return firmIndex % 2 === 0 ? 2 : 1;
}

/** 31^6: how many distinct six-character tails the credit-code alphabet allows. */
const TAIL_SPACE = 31 ** 6;

/**
 * A valid 统一社会信用代码 for the n-th demo firm: `91` (enterprise registered by market
 * regulation), `440300` (Shenzhen), `MA5` (how Shenzhen numbers firms registered since 2015),
 * six characters from n, and the GB 32100 check character. n ↦ tail is a bijection (the
 * multiplier shares no factor with 31), so distinct firms get distinct codes.
 */
export function demoCreditCode(n: number): string {
  let value = (n * 48_271_127 + 387_420_489) % TAIL_SPACE;
  let tail = '';
  for (let i = 0; i < 6; i++) {
    tail = CREDIT_CODE_ALPHABET[value % 31] + tail;
    value = Math.floor(value / 31);
  }
  const body = `91440300MA5${tail}`;
  return body + creditCodeCheckChar(body);
}

export function demoEmail(login: string, firmSlug?: string): string {
  return firmSlug ? `${login}@${firmSlug}.${DEMO_DOMAIN}` : `${login}@${DEMO_DOMAIN}`;
}

/** Where a firm's journey leaves it. */
export function demoFirmStatus(firm: DemoFirm): FirmStatus {
  const journey = firm.journey;
  if (journey.origin === 'imported') return journey.then?.status ?? 'active';
  if (journey.stage === 'approved') return 'active';
  if (journey.stage === 'rejected') return 'rejected';
  return 'applicant';
}

/** The internet-finance categories (深府〔2014〕23号's list) each line of business declares. */
const CATEGORIES_OF: Record<DemoBusiness, Category[]> = {
  payment: ['third_party_payment', 'mobile_payment'],
  cross_border_payment: ['third_party_payment'],
  online_lending: ['online_lending'],
  consumer_instalments: ['online_lending', 'ecommerce_finance'],
  crowdfunding: ['equity_crowdfunding'],
  wealth_sales: ['financial_product_sales'],
  robo_advice: ['financial_product_sales'],
  supply_chain_finance: ['ecommerce_finance'],
  factoring: ['ecommerce_finance', 'licensed_institution_innovation'],
  leasing: ['licensed_institution_innovation'],
  insurance_brokerage: ['financial_product_sales', 'licensed_institution_innovation'],
  credit_information: ['licensed_institution_innovation'],
  risk_data: ['factor_platform'],
  financial_information: ['financial_product_sales'],
};

export function demoCategories(business: DemoBusiness): Category[] {
  return CATEGORIES_OF[business];
}

/** The licence a line of business needs, and who issues it (none for pure technology firms). */
const LICENCES: Partial<Record<DemoBusiness, { type: string; issuer: string; code: string }>> = {
  payment: { type: '支付业务许可证', issuer: '中国人民银行', code: 'ZF' },
  cross_border_payment: {
    type: '支付业务许可证（跨境人民币）',
    issuer: '中国人民银行',
    code: 'ZF',
  },
  online_lending: {
    type: '网络小额贷款业务经营许可',
    issuer: '深圳市地方金融管理局',
    code: 'XD',
  },
  consumer_instalments: {
    type: '小额贷款业务经营许可',
    issuer: '深圳市地方金融管理局',
    code: 'XD',
  },
  wealth_sales: {
    type: '经营证券期货业务许可证（基金销售）',
    issuer: '中国证券监督管理委员会深圳监管局',
    code: 'JJ',
  },
  factoring: { type: '商业保理公司经营备案', issuer: '深圳市地方金融管理局', code: 'BL' },
  leasing: { type: '融资租赁公司经营备案', issuer: '深圳市地方金融管理局', code: 'ZL' },
  insurance_brokerage: {
    type: '保险经纪业务许可证',
    issuer: '国家金融监督管理总局深圳监管局',
    code: 'BX',
  },
  credit_information: { type: '企业征信机构备案', issuer: '中国人民银行深圳市分行', code: 'ZX' },
};

/** The n-th firm's licence, with an obviously invented number, or null when it needs none. */
export function demoLicence(
  firm: DemoFirm,
  n: number,
): { type: string; number: string; issuer: string; validFrom: string; validTo: string } | null {
  const licence = LICENCES[firm.business];
  if (!licence) return null;
  const year = firm.profile.establishedOn.slice(0, 4);
  return {
    type: licence.type,
    number: `DEMO-${licence.code}-${year}-${String(n).padStart(4, '0')}`,
    issuer: licence.issuer,
    validFrom: `${year}-09-01`,
    validTo: `${Number(year) + 10}-08-31`,
  };
}
