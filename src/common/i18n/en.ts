import type { MessageKey } from './zh-CN.js';

export const en: Record<MessageKey, string> = {
  'app.name': 'Shenzhen Internet Finance Association',
  'app.short': 'SZIFA Self-Regulation Platform',
  'nav.home': 'Home',
  'nav.signIn': 'Sign in',
  'nav.signOut': 'Sign out',
  'nav.register': 'Register',
  'nav.account': 'Account & security',
  'nav.audit': 'Audit trail',
  'nav.notifications': 'Notifications',
  'nav.skip': 'Skip to content',
  'lang.switch': '中文',
  'lang.current': 'English',
  'footer.text':
    'Shenzhen Internet Finance Association · industry self-regulation under Shenzhen Municipal Government guideline No. 23 (2014)',
  'error.title': 'Something went wrong',
  'error.back': 'Back to home',
  'error.requestId': 'Request id',
  'role.staff_admin': 'Association administrator',
  'role.staff_reviewer': 'Association reviewer',
  'role.mediator': 'Mediator',
  'role.firm_admin': 'Firm administrator',
  'role.firm_member': 'Firm member',
  'role.complainant': 'Complainant',
};
