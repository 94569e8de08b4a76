/**
 * The access matrix (issue 8 §1): who may call each operation of the OpenAPI document, on whose
 * records. `access-matrix.e2e-spec.ts` checks every cell against the running app and fails on
 * an operation missing from ACCESS_TABLE, so a new route cannot ship unclassified.
 *
 * The rules were derived by reading the controllers' `@ApiDocumented`/`@Roles` and the
 * services' per-record checks, not by recording what the app answers.
 */

/** The ten callers of every cell, in the column order of LEGEND. */
export const CALLERS = [
  'anonymous',
  'firmA.admin',
  'firmA.member',
  'firmB.admin',
  'complainantX',
  'complainantY',
  'mediatorM1',
  'mediatorM2',
  'reviewer',
  'admin',
] as const;
export type Caller = (typeof CALLERS)[number];

/**
 * Records come in two owners' realms, so every caller is tried on one of its own and on one of
 * someone else's:
 * - A: firm A's records; complainant X's ticket against firm A, mediated by M1.
 * - B: firm B's records; complainant Y's ticket against firm B, mediated by M2.
 * Operations without a per-owner record in the path are tried once (owner '-').
 */
export type Owner = 'A' | 'B' | '-';

/**
 * One legend cell:
 * - 'ok': past access control: any status but 401, 403 and 404 (200/201/204, a redirect, or a
 *   400/409/422 from validation or a domain rule), and below 500;
 * - '401' / '403' / '404': refused with exactly that status;
 * - 'own': 'ok' on the caller's own record, '404' on anyone else's (nobody learns it exists);
 * - 'own403': '403' on the caller's own record (may see it, may not do this), '404' elsewhere.
 */
export type Cell = 'ok' | '401' | '403' | '404' | 'own' | 'own403';

/** Whether a caller is on the owner's side of a record: A's side is firm A, X and M1. */
export function isOwnSide(caller: Caller, owner: Owner): boolean {
  if (owner === 'A')
    return ['firmA.admin', 'firmA.member', 'complainantX', 'mediatorM1'].includes(caller);
  if (owner === 'B') return ['firmB.admin', 'complainantY', 'mediatorM2'].includes(caller);
  return false;
}

// prettier-ignore
/**
 * Rule -> expected outcome per caller. Columns:
 *   anonymous, firmA.admin, firmA.member, firmB.admin, complainantX, complainantY,
 *   mediatorM1, mediatorM2, reviewer, admin
 */
export const LEGEND = {
  // Anyone, signed in or not.
  'public':                      ['ok',  'ok',   'ok',     'ok',   'ok',   'ok',   'ok',   'ok',   'ok',  'ok'],
  // Any signed-in user, about themselves.
  'signed-in':                   ['401', 'ok',   'ok',     'ok',   'ok',   'ok',   'ok',   'ok',   'ok',  'ok'],
  // Staff (staff_admin and staff_reviewer).
  'staff':                       ['401', '403',  '403',    '403',  '403',  '403',  '403',  '403',  'ok',  'ok'],
  'staff-admin':                 ['401', '403',  '403',    '403',  '403',  '403',  '403',  '403',  '403', 'ok'],
  // Lists and creations that scope themselves to the caller (no record in the path).
  'staff-or-firm':               ['401', 'ok',   'ok',     'ok',   '403',  '403',  '403',  '403',  'ok',  'ok'],
  'firm-user':                   ['401', 'ok',   'ok',     'ok',   '403',  '403',  '403',  '403',  '403', '403'],
  'firm-admin':                  ['401', 'ok',   '403',    'ok',   '403',  '403',  '403',  '403',  '403', '403'],
  // Both firm roles may hold the pen, but only the firm's authorised signatory (the admins
  // here) gets in: a member who is not the signatory is refused (NOT_SIGNATORY).
  'firm-signatory':              ['401', 'ok',   '403',    'ok',   '403',  '403',  '403',  '403',  '403', '403'],
  'complainant':                 ['401', '403',  '403',    '403',  'ok',   'ok',   '403',  '403',  '403', '403'],
  'mediator':                    ['401', '403',  '403',    '403',  '403',  '403',  'ok',   'ok',   '403', '403'],
  'dispute-roles':               ['401', 'ok',   'ok',     'ok',   'ok',   'ok',   'ok',   'ok',   'ok',  'ok'],
  // A firm's record: staff see all, a firm user only their own firm's, others are refused.
  'firm-own':                    ['401', 'own',  'own',    'own',  '403',  '403',  '403',  '403',  'ok',  'ok'],
  'firm-user-own':               ['401', 'own',  'own',    'own',  '403',  '403',  '403',  '403',  '403', '403'],
  'firm-admin-own':              ['401', 'own',  '403',    'own',  '403',  '403',  '403',  '403',  '403', '403'],
  'firm-admin-own-or-staff':     ['401', 'own',  '403',    'own',  '403',  '403',  '403',  '403',  'ok',  'ok'],
  'firm-admin-own-or-staff-admin':['401','own',  '403',    'own',  '403',  '403',  '403',  '403',  '403', 'ok'],
  // A dispute ticket (or its settlement, session, attachment): its complainant, the respondent
  // firm's users, the mediator it is offered to or accepted by, and staff.
  'ticket-party':                ['401', 'own',  'own',    'own',  'own',  'own',  'own',  'own',  'ok',  'ok'],
  'ticket-complainant':          ['401', '403',  '403',    '403',  'own',  'own',  '403',  '403',  '403', '403'],
  'ticket-mediator':             ['401', '403',  '403',    '403',  '403',  '403',  'own',  'own',  '403', '403'],
  'ticket-mediator-or-staff':    ['401', '403',  '403',    '403',  '403',  '403',  'own',  'own',  'ok',  'ok'],
  'ticket-firm':                 ['401', 'own',  'own',    'own',  '403',  '403',  '403',  '403',  '403', '403'],
  'ticket-firm-admin':           ['401', 'own',  '403',    'own',  '403',  '403',  '403',  '403',  '403', '403'],
  'ticket-complainant-or-firm':  ['401', 'own',  'own',    'own',  'own',  'own',  '403',  '403',  '403', '403'],
  'ticket-complainant-or-firm-admin': ['401', 'own', '403', 'own', 'own',  'own',  '403',  '403',  '403', '403'],
  // Settlements are signed by the complainant or the firm's authorised signatory (the admin
  // here); a firm member who is not the signatory sees it but may not sign.
  'settlement-signer':           ['401', 'own',  'own403', 'own',  'own',  'own',  '403',  '403',  '403', '403'],
  // A mediator's own profile records, from the mediator's pages.
  'mediator-own':                ['401', '403',  '403',    '403',  '403',  '403',  'own',  'own',  '403', '403'],
  // A mediator's own profile (staff any).
  'mediator-self-or-staff':      ['401', '403',  '403',    '403',  '403',  '403',  'own',  'own',  'ok',  'ok'],
  'mediator-self-or-staff-admin':['401', '403',  '403',    '403',  '403',  '403',  'own',  'own',  '403', 'ok'],
  // A user's own in-app notification (A's is X's, B's is Y's); everyone else's answers 404.
  'notification-own':            ['401', '404',  '404',    '404',  'own',  'own',  '404',  '404',  '404', '404'],
} as const satisfies Record<string, readonly Cell[]>;
export type Rule = keyof typeof LEGEND;

/**
 * Every operation of the OpenAPI document ('METHOD /path' exactly as there) and every other
 * route the server answers (pages left out of the document), with its rule.
 */
export const ACCESS_TABLE: Record<string, Rule> = {
  // --- health, keys, home ---
  'GET /health': 'public',
  'GET /health/ready': 'public',
  'GET /health/live': 'public',
  'GET /.well-known/szifa-keys.json': 'public',
  'GET /': 'public',

  // --- audit ---
  'GET /api/v1/audit/events': 'staff',
  'GET /api/v1/audit/verify': 'staff-admin',
  'GET /staff/audit': 'staff',

  // --- notifications ---
  'GET /api/v1/notifications': 'signed-in',
  'POST /api/v1/notifications/{id}/read': 'notification-own',
  'GET /notifications': 'signed-in',
  'POST /notifications/{id}/read': 'notification-own',

  // --- auth: sign-in, account, registration, e-mail, password reset, MFA ---
  'POST /api/v1/auth/token': 'public',
  'POST /api/v1/auth/logout': 'signed-in',
  'GET /api/v1/auth/me': 'signed-in',
  'POST /api/v1/auth/password': 'signed-in',
  'GET /sign-in': 'public',
  'POST /sign-in': 'public',
  'POST /sign-out': 'public',
  'GET /account': 'signed-in',
  'POST /account/password': 'signed-in',
  'POST /api/v1/auth/register/complainant': 'public',
  'POST /api/v1/auth/register/firm': 'public',
  'GET /register': 'public',
  'GET /register/complainant': 'public',
  'POST /register/complainant': 'public',
  'GET /register/firm': 'public',
  'POST /register/firm': 'public',
  'POST /api/v1/auth/email/verify': 'public',
  'POST /api/v1/auth/email/resend': 'signed-in',
  'GET /verify-email': 'public',
  'POST /verify-email': 'public',
  'POST /verify-email/resend': 'signed-in',
  'POST /api/v1/auth/password-reset/request': 'public',
  'POST /api/v1/auth/password-reset/confirm': 'public',
  'GET /forgot-password': 'public',
  'POST /forgot-password': 'public',
  'GET /reset-password': 'public',
  'POST /reset-password': 'public',
  'POST /api/v1/auth/mfa': 'signed-in',
  'POST /api/v1/auth/mfa/totp/setup': 'signed-in',
  'POST /api/v1/auth/mfa/totp/enable': 'signed-in',
  'POST /api/v1/auth/mfa/totp/disable': 'signed-in',
  'GET /sign-in/mfa': 'signed-in',
  'POST /sign-in/mfa': 'signed-in',
  'GET /account/mfa': 'signed-in',
  'GET /account/mfa/setup': 'signed-in',
  'POST /account/mfa/setup': 'signed-in',
  'GET /account/mfa/enable': 'signed-in',
  'POST /account/mfa/enable': 'signed-in',
  'GET /account/mfa/disable': 'signed-in',
  'POST /account/mfa/disable': 'signed-in',

  // --- membership: firm record, documents, colleagues ---
  'GET /api/v1/firms/{id}': 'firm-own',
  'GET /api/v1/firms/{firmId}/profile': 'firm-own',
  'PATCH /api/v1/firms/{firmId}/profile': 'firm-admin-own',
  'POST /api/v1/firms/{firmId}/licences': 'firm-admin-own',
  'DELETE /api/v1/firms/{firmId}/licences/{licenceId}': 'firm-admin-own',
  'GET /api/v1/firms/{firmId}/history': 'firm-own',
  'POST /api/v1/firms/{firmId}/change-requests': 'firm-admin-own',
  'GET /api/v1/firms/{firmId}/change-requests': 'firm-own',
  'POST /api/v1/firms/{firmId}/change-requests/{id}/withdraw': 'firm-admin-own',
  'POST /api/v1/firms/{firmId}/change-requests/{id}/approve': 'staff',
  'POST /api/v1/firms/{firmId}/change-requests/{id}/reject': 'staff',
  'GET /api/v1/firm-change-requests': 'staff',
  'GET /api/v1/firms/{firmId}/documents': 'firm-own',
  'POST /api/v1/firms/{firmId}/documents': 'firm-admin-own',
  'GET /api/v1/firms/{firmId}/documents/{id}': 'firm-own',
  'DELETE /api/v1/firms/{firmId}/documents/{id}': 'firm-admin-own',
  'GET /api/v1/firms/{firmId}/documents/{id}/content': 'firm-own',
  'GET /api/v1/firms/{firmId}/colleagues': 'firm-own',
  'POST /api/v1/firms/{firmId}/invitations': 'firm-admin-own',
  'DELETE /api/v1/firms/{firmId}/invitations/{id}': 'firm-admin-own',
  'DELETE /api/v1/firms/{firmId}/colleagues/{userId}': 'firm-admin-own',
  'PUT /api/v1/firms/{firmId}/signatory': 'firm-admin-own',
  'POST /api/v1/invitations/accept': 'public',
  'GET /firm': 'firm-user',
  'GET /firm/profile': 'firm-admin',
  'POST /firm/profile': 'firm-admin',
  'GET /firm/change-request': 'firm-admin',
  'POST /firm/change-request': 'firm-admin',
  'POST /firm/change-requests/{id}/withdraw': 'firm-admin-own',
  'GET /firm/licences/new': 'firm-admin',
  'POST /firm/licences': 'firm-admin',
  'POST /firm/licences/{id}/remove': 'firm-admin-own',
  'GET /firm/documents/new': 'firm-admin',
  'POST /firm/documents': 'firm-admin',
  'POST /firm/documents/{id}/remove': 'firm-admin-own',
  'GET /firms/{firmId}/documents/{id}/content': 'firm-own',
  'GET /firm/colleagues/invite': 'firm-admin',
  'POST /firm/colleagues/invite': 'firm-admin',
  'POST /firm/invitations/{id}/revoke': 'firm-admin-own',
  'POST /firm/colleagues/{id}/remove': 'firm-admin-own',
  'GET /firm/signatory': 'firm-admin',
  'POST /firm/signatory': 'firm-admin',
  'GET /invitations/accept': 'public',
  'POST /invitations/accept': 'public',

  // --- membership: applications, dues, tiers ---
  'GET /api/v1/applications': 'staff-or-firm',
  'POST /api/v1/applications': 'firm-admin',
  'GET /api/v1/applications/counts': 'staff',
  'GET /api/v1/applications/{id}': 'firm-own',
  'PATCH /api/v1/applications/{id}': 'firm-admin-own',
  'POST /api/v1/applications/{id}/transitions': 'firm-admin-own-or-staff',
  'GET /api/v1/invoices': 'staff-or-firm',
  'GET /api/v1/invoices/{id}': 'firm-own',
  'GET /api/v1/invoices/{id}/pdf': 'firm-own',
  'GET /api/v1/invoices/{id}/receipt/pdf': 'firm-own',
  'POST /api/v1/invoices/{id}/payments': 'staff-admin',
  'POST /api/v1/invoices/{id}/waive': 'staff-admin',
  'GET /api/v1/tiers': 'signed-in',
  'PUT /api/v1/tiers/{code}': 'staff-admin',
  'GET /firm/application': 'firm-user',
  'POST /firm/application': 'firm-admin',
  'POST /firm/application/tier': 'firm-admin',
  'POST /firm/application/transitions': 'firm-admin',
  'GET /staff/applications': 'staff',
  'GET /staff/applications/{id}': 'staff',
  'POST /staff/applications/{id}/transitions': 'staff',
  'GET /staff/tiers': 'staff',
  'POST /staff/tiers/{code}': 'staff-admin',
  'GET /staff/invoices': 'staff',
  'GET /staff/invoices/{id}': 'staff',
  'POST /staff/invoices/{id}/payments': 'staff-admin',
  'POST /staff/invoices/{id}/waive': 'staff-admin',
  'GET /staff/invoices/{id}/receipt': 'staff',
  'GET /staff/invoices/{id}/pdf': 'staff',
  'GET /staff/invoices/{id}/receipt/pdf': 'staff',
  'GET /firm/invoices': 'firm-user',
  'GET /firm/invoices/{id}': 'firm-user-own',
  'GET /firm/invoices/{id}/receipt': 'firm-user-own',
  'GET /firm/invoices/{id}/pdf': 'firm-user-own',
  'GET /firm/invoices/{id}/receipt/pdf': 'firm-user-own',
  'GET /verify/document/invoice/{id}': 'public',
  'GET /verify/document/receipt/{id}': 'public',

  // --- membership: register, directory, status ---
  'GET /api/v1/members': 'staff',
  'GET /api/v1/members/export.csv': 'staff',
  'POST /api/v1/members/import': 'staff-admin',
  'GET /staff/members': 'staff',
  'GET /staff/members/export.csv': 'staff',
  'GET /staff/members/import-template.csv': 'staff-admin',
  'GET /staff/members/import': 'staff-admin',
  'POST /staff/members/import': 'staff-admin',
  'GET /api/v1/directory': 'public',
  'GET /api/v1/directory/{id}': 'public',
  'GET /directory': 'public',
  'GET /directory/{id}': 'public',
  'POST /api/v1/firms/{id}/status-transitions': 'firm-admin-own-or-staff-admin',
  'GET /api/v1/firms/{id}/status-events': 'firm-own',
  'GET /staff/firms/{id}/sanctions': 'staff',
  'POST /staff/firms/{id}/sanctions': 'staff-admin',
  'GET /firm/withdrawal': 'firm-admin',
  'POST /firm/withdrawal': 'firm-admin',

  // --- pledges ---
  'GET /api/v1/conventions': 'public',
  'POST /api/v1/conventions': 'staff-admin',
  'GET /api/v1/conventions/diff': 'public',
  'GET /api/v1/conventions/drafts': 'staff-admin',
  'GET /api/v1/conventions/{versionNumber}': 'public',
  'PATCH /api/v1/conventions/drafts/{id}': 'staff-admin',
  'GET /api/v1/conventions/drafts/{id}/preview': 'staff-admin',
  'POST /api/v1/conventions/drafts/{id}/publication': 'staff-admin',
  'GET /conventions': 'public',
  'GET /conventions/diff': 'public',
  'GET /conventions/{versionNumber}': 'public',
  'GET /staff/conventions': 'staff-admin',
  'POST /staff/conventions': 'staff-admin',
  'GET /staff/conventions/new': 'staff-admin',
  'GET /staff/conventions/{id}': 'staff-admin',
  'POST /staff/conventions/{id}': 'staff-admin',
  'POST /staff/conventions/{id}/publication': 'staff-admin',
  'POST /api/v1/pledges/signatures': 'firm-user',
  'GET /api/v1/pledges/signatures/{id}': 'firm-own',
  'GET /api/v1/pledges/signatures/{id}/verify': 'public',
  'GET /api/v1/pledges/signatures/{id}/pdf': 'firm-own',
  'POST /api/v1/conventions/{versionNumber}/check-text': 'public',
  'GET /api/v1/conventions/{versionNumber}/signatories': 'public',
  'GET /api/v1/conventions/{versionNumber}/signatories/export.csv': 'public',
  'GET /conventions/{versionNumber}/signatories': 'public',
  'GET /conventions/{versionNumber}/signatories/export.csv': 'public',
  'GET /api/v1/conventions/{versionNumber}/obligations': 'staff',
  'POST /api/v1/conventions/{versionNumber}/reminders': 'staff-admin',
  'GET /staff/pledges': 'staff',
  'POST /staff/pledges/reminders': 'staff-admin',

  // --- disputes: filing and workflow ---
  'GET /api/v1/disputes/rules': 'public',
  'GET /api/v1/disputes/respondents': 'public',
  'POST /api/v1/disputes/tickets': 'complainant',
  'GET /api/v1/disputes/tickets': 'dispute-roles',
  'PATCH /api/v1/disputes/tickets/{id}': 'ticket-complainant',
  'GET /api/v1/disputes/tickets/{id}': 'ticket-party',
  'POST /api/v1/disputes/tickets/{id}/file': 'ticket-complainant',
  'GET /api/v1/disputes/tickets/{id}/timeline': 'ticket-party',
  'POST /api/v1/disputes/tickets/{id}/attachments': 'ticket-complainant',
  'DELETE /api/v1/disputes/tickets/{id}/attachments/{attId}': 'ticket-complainant',
  'GET /api/v1/disputes/tickets/{id}/attachments/{attId}': 'ticket-party',
  'POST /api/v1/disputes/tickets/{id}/accept': 'staff',
  'POST /api/v1/disputes/tickets/{id}/reject': 'staff',
  'POST /api/v1/disputes/tickets/{id}/respond': 'ticket-firm',
  'POST /api/v1/disputes/tickets/{id}/withdraw': 'ticket-complainant',
  'POST /api/v1/disputes/tickets/{id}/fail': 'ticket-mediator',
  'POST /api/v1/disputes/tickets/{id}/close': 'ticket-mediator-or-staff',
  'POST /api/v1/disputes/tickets/{id}/extension/request': 'ticket-mediator',
  'POST /api/v1/disputes/tickets/{id}/extension/consent': 'ticket-complainant-or-firm',
  'GET /api/v1/disputes/deadlines/overdue': 'staff',
  'GET /api/v1/disputes/statistics/firms/{firmId}': 'staff',
  'GET /api/v1/disputes/dashboard': 'staff',
  'GET /api/v1/disputes/dashboard.csv': 'staff',
  'GET /api/v1/disputes/calendar': 'staff',
  'PUT /api/v1/disputes/calendar/{date}': 'staff-admin',
  'DELETE /api/v1/disputes/calendar/{date}': 'staff-admin',

  // --- disputes: mediators, assignment, conversation ---
  'GET /api/v1/disputes/mediators': 'staff',
  'POST /api/v1/disputes/mediators': 'staff-admin',
  'GET /api/v1/disputes/mediators/{userId}': 'mediator-self-or-staff',
  'PATCH /api/v1/disputes/mediators/{userId}': 'mediator-self-or-staff-admin',
  'POST /api/v1/disputes/mediators/{userId}/affiliations': 'mediator-self-or-staff-admin',
  'DELETE /api/v1/disputes/mediators/{userId}/affiliations/{id}': 'mediator-self-or-staff-admin',
  'POST /api/v1/disputes/tickets/{id}/assign': 'staff',
  'POST /api/v1/disputes/tickets/{id}/auto-assign': 'staff',
  'POST /api/v1/disputes/tickets/{id}/open-pool': 'staff',
  'POST /api/v1/disputes/tickets/{id}/release-assignment': 'staff',
  'GET /api/v1/disputes/pool': 'mediator',
  'POST /api/v1/disputes/tickets/{id}/accept-assignment': 'ticket-mediator',
  'POST /api/v1/disputes/tickets/{id}/decline-assignment': 'ticket-mediator',
  'POST /api/v1/disputes/tickets/{id}/release-contact': 'ticket-mediator',
  'GET /api/v1/disputes/tickets/{id}/challenges': 'ticket-party',
  'POST /api/v1/disputes/tickets/{id}/challenges': 'ticket-complainant-or-firm-admin',
  'POST /api/v1/disputes/challenges/{id}/decide': 'staff',
  'GET /api/v1/disputes/tickets/{id}/messages': 'ticket-party',
  'POST /api/v1/disputes/tickets/{id}/messages': 'ticket-party',
  'GET /api/v1/disputes/tickets/{id}/sessions': 'ticket-party',
  'POST /api/v1/disputes/tickets/{id}/sessions': 'ticket-mediator',
  'POST /api/v1/disputes/sessions/{id}/cancel': 'ticket-mediator',

  // --- disputes: settlements ---
  'POST /api/v1/disputes/tickets/{id}/settlements': 'ticket-mediator',
  'PATCH /api/v1/disputes/settlements/{id}': 'ticket-mediator',
  'GET /api/v1/disputes/settlements/{id}': 'ticket-party',
  'POST /api/v1/disputes/settlements/{id}/send': 'ticket-mediator',
  'POST /api/v1/disputes/settlements/{id}/withdraw': 'ticket-mediator',
  'GET /api/v1/disputes/settlements/{id}/text': 'ticket-party',
  'POST /api/v1/disputes/settlements/{id}/sign': 'settlement-signer',
  'GET /api/v1/disputes/settlements/{id}/signatures': 'ticket-party',
  'GET /api/v1/disputes/settlements/{id}/verify': 'ticket-party',
  'GET /api/v1/disputes/settlements/{id}/pdf': 'ticket-party',
  'POST /api/v1/disputes/tickets/{id}/performance': 'ticket-firm-admin',
  'POST /api/v1/disputes/tickets/{id}/confirm-performance': 'ticket-complainant',
  'POST /api/v1/disputes/tickets/{id}/reopen': 'ticket-complainant',
  'GET /api/v1/disputes/tickets/{id}/judicial-export': 'ticket-party',
  'POST /api/v1/disputes/tickets/{id}/survey': 'ticket-complainant',
  'GET /api/v1/disputes/surveys/summary': 'staff',

  // --- ratings ---
  'GET /api/v1/ratings/scorecards': 'staff',
  'POST /api/v1/ratings/scorecards': 'staff-admin',
  'GET /api/v1/ratings/scorecards/{id}': 'staff',
  'PATCH /api/v1/ratings/scorecards/{id}': 'staff-admin',
  'POST /api/v1/ratings/scorecards/{id}/publish': 'staff-admin',
  'GET /api/v1/ratings/cycles': 'staff-or-firm',
  'POST /api/v1/ratings/cycles': 'staff-admin',
  'GET /api/v1/ratings/cycles/{id}': 'staff-or-firm',
  'PATCH /api/v1/ratings/cycles/{id}': 'staff-admin',
  'POST /api/v1/ratings/cycles/{id}/open': 'staff-admin',
  'POST /api/v1/ratings/cycles/{id}/close': 'staff-admin',
  'GET /api/v1/ratings/cycles/{cycleId}/submissions/mine': 'firm-user',
  'PUT /api/v1/ratings/cycles/{cycleId}/submissions/mine/values': 'firm-admin',
  'POST /api/v1/ratings/cycles/{cycleId}/submissions/mine/submit': 'firm-admin',
  'GET /api/v1/ratings/submissions/{id}': 'firm-own',
  'GET /api/v1/ratings/submissions/{id}/documents': 'firm-own',
  'POST /api/v1/ratings/submissions/{id}/documents': 'firm-admin-own',
  'GET /api/v1/ratings/submissions/{id}/documents/{docId}': 'firm-own',
  'DELETE /api/v1/ratings/submissions/{id}/documents/{docId}': 'firm-admin-own',
  'GET /firm/ratings': 'firm-user',
  'GET /firm/ratings/cycles/{cycleId}': 'firm-user',
  'POST /firm/ratings/cycles/{cycleId}': 'firm-admin',
  'POST /firm/ratings/cycles/{cycleId}/documents': 'firm-admin',
  'POST /firm/ratings/cycles/{cycleId}/documents/{docId}/remove': 'firm-admin-own',
  'GET /firm/ratings/submissions/{id}/documents/{docId}': 'firm-own',
  'GET /staff/ratings': 'staff',
  'POST /staff/ratings/cycles': 'staff-admin',
  'POST /staff/ratings/cycles/{id}/open': 'staff-admin',
  'POST /staff/ratings/cycles/{id}/close': 'staff-admin',
  'GET /staff/ratings/scorecards': 'staff',
  'POST /staff/ratings/scorecards': 'staff-admin',
  'GET /staff/ratings/scorecards/{id}': 'staff',
  'POST /staff/ratings/scorecards/{id}': 'staff-admin',
  'POST /staff/ratings/scorecards/{id}/publish': 'staff-admin',
  'GET /api/v1/ratings/reviews': 'staff',
  'GET /api/v1/ratings/submissions/{id}/review': 'staff',
  'POST /api/v1/ratings/submissions/{id}/return': 'staff',
  'POST /api/v1/ratings/submissions/{id}/propose': 'staff',
  'POST /api/v1/ratings/submissions/{id}/confirm': 'staff',
  'POST /api/v1/ratings/submissions/{id}/send-back': 'staff',
  'POST /api/v1/ratings/submissions/{id}/publish': 'staff-admin',
  'GET /api/v1/ratings/conflicts': 'staff',
  'POST /api/v1/ratings/conflicts': 'staff',
  'DELETE /api/v1/ratings/conflicts/{id}': 'staff',
  'GET /api/v1/ratings/firms/{firmId}/history': 'public',
  'GET /api/v1/ratings/ratings/{ratingId}/appeal-window': 'firm-own',
  'POST /api/v1/ratings/ratings/{ratingId}/appeal': 'firm-admin-own',
  'GET /api/v1/ratings/appeals': 'staff',
  'GET /api/v1/ratings/appeals/{id}': 'firm-own',
  'POST /api/v1/ratings/appeals/{id}/documents': 'firm-admin-own',
  'POST /api/v1/ratings/appeals/{id}/decision': 'staff',
  'GET /api/v1/ratings/cycles/{id}/overview': 'staff',
  'GET /api/v1/ratings/cycles/{id}/overview.csv': 'staff',

  // --- certificates and credentials ---
  'POST /api/v1/certificate-batches': 'staff-admin',
  'GET /api/v1/certificate-batches': 'staff',
  'GET /api/v1/certificate-batches/{id}': 'staff',
  'GET /api/v1/certificate-batches/{id}/failures': 'staff',
  'GET /api/v1/certificates/{id}/credential': 'firm-own',
  'GET /credentials/status/{list}': 'public',
  'GET /credentials/{serial}': 'public',
  'GET /credentials/achievements/{kind}': 'public',
  'GET /.well-known/did.json': 'public',
  'POST /api/v1/certificates': 'staff',
  'GET /api/v1/certificates': 'staff-or-firm',
  'GET /api/v1/certificates/{id}': 'firm-own',
  'GET /api/v1/certificates/{id}/pdf': 'firm-own',
  'POST /api/v1/certificates/{id}/revoke': 'staff-admin',
  'GET /api/v1/certificates/verify/{serial}': 'public',
  'POST /api/v1/certificates/verify-pdf': 'public',

  // ===== Pages the OpenAPI document leaves out (@ApiExcludeController), served all the same =====
  // The ticket page's small forms (workflow, mediation) carry no @Roles: the services decide,
  // and a refusal to a party comes back as a redirect to the ticket page with ?error=<CODE>;
  // someone who is no party to the ticket gets 404 like everywhere else.

  // --- pledges ---
  'GET /firm/pledge': 'firm-signatory',
  'POST /firm/pledge': 'firm-signatory',
  'GET /pledges/signatures/{id}/receipt': 'firm-own',
  'GET /pledges/signatures/{id}/receipt/pdf': 'firm-own',
  'GET /verify/pledge/{id}': 'public',
  'GET /verify/text': 'public',
  'POST /verify/text': 'public',

  // --- disputes: lists, filing, the ticket page and its forms ---
  'GET /disputes': 'complainant',
  'GET /firm/disputes': 'firm-user',
  'GET /mediator/cases': 'mediator',
  'GET /staff/disputes': 'staff',
  'GET /disputes/new': 'complainant',
  'POST /disputes/new': 'complainant',
  'GET /disputes/tickets/{id}/edit': 'ticket-complainant',
  'POST /disputes/tickets/{id}/edit': 'ticket-complainant',
  'POST /disputes/tickets/{id}/evidence': 'ticket-complainant',
  'POST /disputes/tickets/{id}/evidence/{attId}/remove': 'ticket-complainant',
  'POST /disputes/tickets/{id}/file': 'ticket-complainant',
  'GET /disputes/tickets/{id}': 'ticket-party',
  'GET /disputes/tickets/{id}/attachments/{attId}': 'ticket-party',
  'POST /disputes/tickets/{id}/accept': 'ticket-party',
  'POST /disputes/tickets/{id}/reject': 'ticket-party',
  'POST /disputes/tickets/{id}/respond': 'ticket-party',
  'POST /disputes/tickets/{id}/withdraw': 'ticket-party',
  'POST /disputes/tickets/{id}/fail': 'ticket-party',
  'POST /disputes/tickets/{id}/close': 'ticket-party',
  'POST /disputes/tickets/{id}/extension/request': 'ticket-party',
  'POST /disputes/tickets/{id}/extension/consent': 'ticket-party',
  'POST /disputes/tickets/{id}/assign': 'ticket-party',
  'POST /disputes/tickets/{id}/auto-assign': 'ticket-party',
  'POST /disputes/tickets/{id}/open-pool': 'ticket-party',
  'POST /disputes/tickets/{id}/release-assignment': 'ticket-party',
  'POST /disputes/tickets/{id}/accept-assignment': 'ticket-party',
  'POST /disputes/tickets/{id}/decline-assignment': 'ticket-party',
  'POST /disputes/tickets/{id}/release-contact': 'ticket-party',
  'POST /disputes/tickets/{id}/challenges': 'ticket-party',
  'POST /disputes/tickets/{id}/challenges/{challengeId}/decide': 'ticket-party',
  'POST /disputes/tickets/{id}/messages': 'ticket-party',
  'POST /disputes/tickets/{id}/sessions': 'ticket-party',
  'POST /disputes/tickets/{id}/sessions/{sessionId}/cancel': 'ticket-party',

  // --- disputes: settlements, performance, survey ---
  'GET /disputes/tickets/{id}/settlements/new': 'ticket-mediator',
  'POST /disputes/tickets/{id}/settlements': 'ticket-mediator',
  'GET /disputes/settlements/{id}/edit': 'ticket-mediator',
  'POST /disputes/settlements/{id}/edit': 'ticket-mediator',
  'POST /disputes/tickets/{id}/settlement-send': 'ticket-mediator',
  'POST /disputes/tickets/{id}/settlement-withdraw': 'ticket-mediator',
  'GET /disputes/settlements/{id}/sign': 'settlement-signer',
  'POST /disputes/settlements/{id}/sign': 'settlement-signer',
  'POST /disputes/tickets/{id}/performance': 'ticket-firm-admin',
  'POST /disputes/tickets/{id}/confirm-performance': 'ticket-complainant',
  'POST /disputes/tickets/{id}/reopen': 'ticket-complainant',
  'GET /disputes/settlements/{id}/pdf': 'ticket-party',
  'GET /verify/document/settlement/{id}': 'public',
  'GET /disputes/tickets/{id}/judicial-export': 'ticket-party',
  'GET /disputes/tickets/{id}/survey': 'ticket-complainant',
  'POST /disputes/tickets/{id}/survey': 'ticket-complainant',
  'GET /staff/disputes/surveys': 'staff',

  // --- disputes: staff pages, mediators ---
  'GET /staff/disputes/dashboard': 'staff',
  'GET /staff/disputes/dashboard.csv': 'staff',
  'GET /staff/disputes/calendar': 'staff',
  'POST /staff/disputes/calendar': 'staff-admin',
  'POST /staff/disputes/calendar/{date}/delete': 'staff-admin',
  'GET /staff/mediators': 'staff',
  'POST /staff/mediators': 'staff-admin',
  'GET /staff/mediators/{userId}': 'staff',
  'GET /mediator/profile': 'mediator',
  'POST /staff/mediators/{userId}': 'staff-admin',
  'POST /mediator/profile': 'mediator',
  'POST /staff/mediators/{userId}/affiliations': 'staff-admin',
  'POST /mediator/profile/affiliations': 'mediator',
  'POST /staff/mediators/{userId}/affiliations/{id}/remove': 'staff-admin',
  'POST /mediator/profile/affiliations/{id}/remove': 'mediator-own',
  'GET /mediator/pool': 'mediator',
  'POST /mediator/pool/{id}/accept': 'ticket-mediator',

  // --- ratings: review, appeals ---
  'GET /staff/ratings/reviews': 'staff',
  'GET /staff/ratings/submissions/{id}': 'staff',
  'POST /staff/ratings/submissions/{id}/{action}': 'staff',
  'GET /staff/ratings/conflicts': 'staff',
  'POST /staff/ratings/conflicts': 'staff',
  'POST /staff/ratings/conflicts/{id}/remove': 'staff',
  'GET /staff/ratings/appeals': 'staff',
  'GET /staff/ratings/appeals/{id}': 'staff',
  'POST /staff/ratings/appeals/{id}/decide': 'staff',
  'GET /staff/ratings/cycles/{id}/overview': 'staff',
  'GET /staff/ratings/cycles/{id}/overview.csv': 'staff',
  'GET /ratings/firms/{firmId}': 'public',
  'GET /firm/ratings/ratings/{ratingId}/appeal': 'firm-user-own',
  'POST /firm/ratings/ratings/{ratingId}/appeal': 'firm-admin-own',
  'GET /ratings/appeals/{appealId}/documents/{docId}': 'firm-own',

  // --- certificates ---
  'GET /staff/certificates/batches': 'staff',
  'POST /staff/certificates/batches': 'staff-admin',
  'GET /staff/certificates/batches/{id}': 'staff',
  'GET /staff/certificates': 'staff',
  'POST /staff/certificates': 'staff',
  'POST /staff/certificates/{id}/revoke': 'staff-admin',
  'GET /firm/certificates': 'firm-user',
  'GET /certificates/{id}/pdf': 'firm-own',
  'GET /verify': 'public',
  'POST /verify': 'public',
  'GET /verify/{serial}': 'public',
};

/**
 * Cells that do not answer what LEGEND says, each asserted as its current status, so the matrix
 * fails both when one changes (remove it from this list) and when a new one appears:
 * - 'finding': the app looks wrong here (the lead decides what to do);
 * - 'not-reached': the record check is never reached, because an earlier check on the caller's
 *   own data answers first; not a leak (the answer does not depend on the record), but the cell
 *   does not prove the 404 either.
 */
export interface KnownFinding {
  kind: 'finding' | 'not-reached';
  operation: string;
  caller: Caller;
  owner: Owner;
  /** The status the app answers today. */
  actual: number;
  why: string;
}

/** One entry per cell: 'caller:owner' pairs of one operation, with what they answer today. */
function cells(
  kind: KnownFinding['kind'],
  operation: string,
  pairs: string[],
  actual: number,
  why: string,
): KnownFinding[] {
  return pairs.map((pair) => {
    const [caller, owner] = pair.split(':') as [Caller, Owner];
    return { kind, operation, caller, owner, actual, why };
  });
}

const OTHER_MEDIATORS = ['mediatorM2:A', 'mediatorM1:B'];
const NON_MEDIATOR_OUTSIDERS = [
  'firmB.admin:A',
  'complainantY:A',
  'firmA.admin:B',
  'firmA.member:B',
  'complainantX:B',
];

export const KNOWN_FINDINGS: KnownFinding[] = [
  ...cells(
    'finding',
    'POST /mediator/pool/{id}/accept',
    OTHER_MEDIATORS,
    303,
    "another mediator's ticket redirects to /mediator/pool?error=TICKET_NOT_FOUND instead of answering 404 (no leak: an unknown id answers the same; the pool page turns refusals into a notice)",
  ),
  ...cells(
    'finding',
    'POST /mediator/profile/affiliations/{id}/remove',
    OTHER_MEDIATORS,
    303,
    "another mediator's affiliation redirects to /mediator/profile?error=AFFILIATION_NOT_FOUND instead of answering 404 (no leak: an unknown id answers the same; but unlike runTicketAction, the mediators page turns not-found into a notice)",
  ),
  ...cells(
    'not-reached',
    'POST /disputes/tickets/{id}/accept-assignment',
    NON_MEDIATOR_OUTSIDERS,
    303,
    'the form checks the role before it looks up the ticket: ?error=FORBIDDEN, the same for any id',
  ),
  ...cells(
    'not-reached',
    'POST /disputes/tickets/{id}/challenges/{challengeId}/decide',
    [...NON_MEDIATOR_OUTSIDERS, ...OTHER_MEDIATORS],
    303,
    'deciding a challenge is for staff: the role is refused (?error=FORBIDDEN) before the ticket is looked up, the same for any id',
  ),
  ...cells(
    'not-reached',
    'POST /firm/ratings/cycles/{cycleId}/documents/{docId}/remove',
    ['firmB.admin:A', 'firmA.admin:B'],
    409,
    "the page first finds the caller's own submission for the cycle; it is published, so SUBMISSION_LOCKED answers before the document is looked up",
  ),
];
