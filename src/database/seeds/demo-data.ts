import type { Role } from '../../common/auth/roles.js';
import { CREDIT_CODE_ALPHABET, creditCodeCheckChar } from '../../modules/membership/credit-code.js';
import type { District } from '../../modules/membership/districts.js';

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

export interface DemoFirm {
  /** Stable handle: the firm users' e-mail subdomain and how later sections refer to it. */
  slug: string;
  name: string;
  nameEn: string;
  district: District;
  business: DemoBusiness;
  status: 'active' | 'applicant';
  locale?: 'zh-CN' | 'en';
}

export const DEMO_FIRMS: DemoFirm[] = [
  {
    slug: 'pengcheng-yifu',
    name: '深圳市鹏程易付科技有限公司',
    nameEn: 'Shenzhen Pengcheng Yifu Technology Co., Ltd.',
    district: 'futian',
    business: 'payment',
    status: 'active',
  },
  {
    slug: 'fuhua-wealth',
    name: '深圳市福华财富基金销售有限公司',
    nameEn: 'Shenzhen Fuhua Wealth Fund Sales Co., Ltd.',
    district: 'futian',
    business: 'wealth_sales',
    status: 'active',
  },
  {
    slug: 'cgm-riskdata',
    name: '深圳市车公庙风控数据科技有限公司',
    nameEn: 'Shenzhen Chegongmiao Risk Data Technology Co., Ltd.',
    district: 'futian',
    business: 'risk_data',
    status: 'active',
  },
  {
    slug: 'dongmen-puhui',
    name: '深圳市东门普惠网络小额贷款有限公司',
    nameEn: 'Shenzhen Dongmen Inclusive Online Microcredit Co., Ltd.',
    district: 'luohu',
    business: 'online_lending',
    status: 'active',
  },
  {
    slug: 'sungang-lianrong',
    name: '深圳市笋岗链融供应链金融服务有限公司',
    nameEn: 'Shenzhen Sungang Lianrong Supply Chain Finance Services Co., Ltd.',
    district: 'luohu',
    business: 'supply_chain_finance',
    status: 'active',
  },
  {
    slug: 'shekou-yunchou',
    name: '深圳市蛇口云筹网络科技有限公司',
    nameEn: 'Shenzhen Shekou Yunchou Network Technology Co., Ltd.',
    district: 'nanshan',
    business: 'crowdfunding',
    status: 'active',
  },
  {
    slug: 'kexing-zhitou',
    name: '深圳市科兴智投科技有限公司',
    nameEn: 'Shenzhen Kexing Zhitou Technology Co., Ltd.',
    district: 'nanshan',
    business: 'robo_advice',
    status: 'active',
  },
  {
    slug: 'houhai-xinlian',
    name: '深圳市后海信联征信服务有限公司',
    nameEn: 'Shenzhen Houhai Xinlian Credit Information Services Co., Ltd.',
    district: 'nanshan',
    business: 'credit_information',
    status: 'active',
  },
  {
    slug: 'yangang-pay',
    name: '深圳市盐港跨境支付服务有限公司',
    nameEn: 'Shenzhen Yangang Cross-border Payment Services Co., Ltd.',
    district: 'yantian',
    business: 'cross_border_payment',
    status: 'active',
  },
  {
    slug: 'xixiang-rongtong',
    name: '深圳市西乡融通商业保理有限公司',
    nameEn: 'Shenzhen Xixiang Rongtong Commercial Factoring Co., Ltd.',
    district: 'baoan',
    business: 'factoring',
    status: 'active',
  },
  {
    slug: 'konggang-fenqi',
    name: '深圳市空港分期消费服务有限公司',
    nameEn: 'Shenzhen Konggang Consumer Instalment Services Co., Ltd.',
    district: 'baoan',
    business: 'consumer_instalments',
    status: 'active',
  },
  {
    slug: 'dayun-shuke',
    name: '深圳市大运数科金融信息服务有限公司',
    nameEn: 'Shenzhen Dayun Digital Financial Information Services Co., Ltd.',
    district: 'longgang',
    business: 'financial_information',
    status: 'active',
  },
  {
    slug: 'buji-ankang',
    name: '深圳市布吉安康保险经纪有限公司',
    nameEn: 'Shenzhen Buji Ankang Insurance Brokerage Co., Ltd.',
    district: 'longgang',
    business: 'insurance_brokerage',
    status: 'active',
  },
  {
    slug: 'guanlan-jurong',
    name: '深圳市观澜聚融网络借贷信息服务有限公司',
    nameEn: 'Shenzhen Guanlan Jurong Online Lending Information Services Co., Ltd.',
    district: 'longhua',
    business: 'online_lending',
    status: 'applicant',
  },
  {
    slug: 'minzhi-lianjin',
    name: '深圳市民治链金区块链科技有限公司',
    nameEn: 'Shenzhen Minzhi Lianjin Blockchain Technology Co., Ltd.',
    district: 'longhua',
    business: 'supply_chain_finance',
    status: 'active',
  },
  {
    slug: 'xinneng-leasing',
    name: '深圳市坪山新能融资租赁有限公司',
    nameEn: 'Shenzhen Pingshan Xinneng Financial Leasing Co., Ltd.',
    district: 'pingshan',
    business: 'leasing',
    status: 'active',
  },
  {
    slug: 'kexuecheng-puhui',
    name: '深圳市光明科学城数字普惠科技有限公司',
    nameEn: 'Shenzhen Guangming Science City Digital Inclusive Finance Technology Co., Ltd.',
    district: 'guangming',
    business: 'online_lending',
    status: 'active',
  },
  {
    slug: 'dapengwan-haiyang',
    name: '深圳市大鹏湾海洋供应链金融有限公司',
    nameEn: 'Shenzhen Dapeng Bay Marine Supply Chain Finance Co., Ltd.',
    district: 'dapeng',
    business: 'supply_chain_finance',
    status: 'active',
  },
  {
    slug: 'qh-tonghui',
    name: '深圳前海深港通汇跨境金融科技有限公司',
    nameEn: 'Shenzhen Qianhai Shengang Tonghui Cross-border Fintech Co., Ltd.',
    district: 'qianhai',
    business: 'cross_border_payment',
    status: 'active',
    locale: 'en',
  },
  {
    slug: 'qh-wanqu-chou',
    name: '深圳前海湾区股权众筹服务有限公司',
    nameEn: 'Shenzhen Qianhai Bay Area Equity Crowdfunding Services Co., Ltd.',
    district: 'qianhai',
    business: 'crowdfunding',
    status: 'applicant',
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
