/** The internet-finance business categories a firm can declare (several per firm). */
export const CATEGORIES = {
  third_party_payment: { zh: '第三方支付', en: 'Third-party payment' },
  mobile_payment: { zh: '移动支付', en: 'Mobile payment' },
  online_lending: { zh: '网络信贷', en: 'Online lending' },
  equity_crowdfunding: { zh: '股权众筹', en: 'Equity crowdfunding' },
  financial_product_sales: { zh: '金融产品销售', en: 'Financial product sales' },
  ecommerce_finance: { zh: '电商金融', en: 'E-commerce finance' },
  factor_platform: { zh: '要素平台', en: 'Factor trading platform' },
  licensed_institution_innovation: {
    zh: '持牌机构创新业务',
    en: 'Innovation by licensed institutions',
  },
} as const;

export type Category = keyof typeof CATEGORIES;
export const CATEGORY_KEYS = Object.keys(CATEGORIES) as Category[];

export function isCategory(value: string): value is Category {
  return Object.hasOwn(CATEGORIES, value);
}
