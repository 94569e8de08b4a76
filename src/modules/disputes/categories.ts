/** Complaint categories, in the order the filing form offers them. */
export const COMPLAINT_CATEGORIES = [
  'repayment_overdue',
  'misleading_sales',
  'abusive_collection',
  'data_leak',
  'fee_dispute',
  'account_frozen',
  'other',
] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

export const CATEGORY_LABELS: Record<ComplaintCategory, { zh: string; en: string }> = {
  repayment_overdue: { zh: '兑付逾期', en: 'Overdue repayment or redemption' },
  misleading_sales: { zh: '虚假宣传或误导销售', en: 'False advertising or mis-selling' },
  abusive_collection: { zh: '违规催收', en: 'Abusive debt collection' },
  data_leak: { zh: '个人信息泄露', en: 'Personal information leak' },
  fee_dispute: { zh: '费用争议', en: 'Fee dispute' },
  account_frozen: { zh: '账户或资金冻结', en: 'Account or funds frozen' },
  other: { zh: '其他', en: 'Other' },
};

export function isComplaintCategory(value: string): value is ComplaintCategory {
  return (COMPLAINT_CATEGORIES as readonly string[]).includes(value);
}
