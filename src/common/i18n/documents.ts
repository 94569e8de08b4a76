/**
 * Documents catalogue (issue 7 §1): PDF pledge receipts, dues invoices and receipts, settlement
 * agreements, and their public check page. Exports { zh, en } with the same keys (the type
 * checker enforces it). The 'documents.*' namespace is membership's (firm documents).
 */
const zh = {
  'documentPdf.title': '文件核验',
  'documentPdf.download': '下载 PDF',
  'documentPdf.verify.eyebrow': '文件核验',
  'documentPdf.verify.heading': '协会文件核验',
  'documentPdf.verify.lead':
    '此页面由文件上的二维码打开，显示协会平台登记的该文件及其当前状态。文件内容与本页不一致时，以本页为准。',
  'documentPdf.verify.genuine': '该文件由协会平台签发。',
  'documentPdf.verify.current': '当前状态',
  'documentPdf.kind.invoice': '会费缴费通知单',
  'documentPdf.kind.receipt': '会费收据',
  'documentPdf.kind.settlement': '调解协议书',
  'documentPdf.field.number': '编号',
  'documentPdf.field.firm': '单位',
  'documentPdf.field.year': '会费年度',
  'documentPdf.field.issuedOn': '开具日期',
  'documentPdf.field.dueOn': '付款期限',
  'documentPdf.field.amount': '应缴金额（元）',
  'documentPdf.field.paid': '累计已收（元）',
  'documentPdf.field.balance': '未付余额（元）',
  'documentPdf.field.caseNumber': '案件编号',
  'documentPdf.field.sentAt': '送签日期',
  'documentPdf.field.signedAt': '签署生效日期',
  'documentPdf.field.performanceDeadline': '履行期限',
  'documentPdf.field.signatures': '签名核验',
  'documentPdf.field.fingerprint': '文本指纹（SHA-256）',
};

const en: Record<keyof typeof zh, string> = {
  'documentPdf.title': 'Document check',
  'documentPdf.download': 'Download PDF',
  'documentPdf.verify.eyebrow': 'Document check',
  'documentPdf.verify.heading': 'Check an association document',
  'documentPdf.verify.lead':
    'The QR code on the document opens this page. It shows the document as the association recorded it, with its current status. Where the paper and this page differ, this page prevails.',
  'documentPdf.verify.genuine': 'The association issued this document.',
  'documentPdf.verify.current': 'Current status',
  'documentPdf.kind.invoice': 'Membership dues invoice',
  'documentPdf.kind.receipt': 'Receipt for membership dues',
  'documentPdf.kind.settlement': 'Mediation settlement agreement',
  'documentPdf.field.number': 'Number',
  'documentPdf.field.firm': 'Firm',
  'documentPdf.field.year': 'Membership year',
  'documentPdf.field.issuedOn': 'Issued on',
  'documentPdf.field.dueOn': 'Due on',
  'documentPdf.field.amount': 'Amount due (CNY)',
  'documentPdf.field.paid': 'Received (CNY)',
  'documentPdf.field.balance': 'Balance (CNY)',
  'documentPdf.field.caseNumber': 'Case number',
  'documentPdf.field.sentAt': 'Sent for signature on',
  'documentPdf.field.signedAt': 'Signed on',
  'documentPdf.field.performanceDeadline': 'Performance deadline',
  'documentPdf.field.signatures': 'Signature check',
  'documentPdf.field.fingerprint': 'Text fingerprint (SHA-256)',
};

export const documentsMessages = { zh, en };
