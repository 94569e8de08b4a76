/**
 * The message catalogue, Chinese first. Keys are stable identifiers; every key here must exist
 * in en.ts (the type checker enforces it).
 */
export const zhCN = {
  'app.name': '深圳市互联网金融协会',
  'app.short': 'SZIFA 自律平台',
  'nav.home': '首页',
  'nav.signIn': '登录',
  'nav.signOut': '退出登录',
  'nav.register': '注册',
  'nav.account': '账户与安全',
  'nav.audit': '审计日志',
  'nav.notifications': '通知',
  'nav.skip': '跳到正文',
  'lang.switch': 'English',
  'lang.current': '中文',
  'footer.text': '深圳市互联网金融协会 · 依据《深圳市人民政府关于支持互联网金融创新发展的指导意见》（深府〔2014〕23号）开展行业自律',
  'error.title': '出错了',
  'error.back': '返回首页',
  'error.requestId': '请求编号',
  'role.staff_admin': '协会管理员',
  'role.staff_reviewer': '协会审核员',
  'role.mediator': '调解员',
  'role.firm_admin': '机构管理员',
  'role.firm_member': '机构成员',
  'role.complainant': '投诉人',
} as const;

export type MessageKey = keyof typeof zhCN;
