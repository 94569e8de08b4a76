import { Certificate } from '../modules/certificates/entities/certificate.entity.js';
import {
  CertificateBatch,
  CertificateBatchItem,
} from '../modules/certificates/entities/certificate-batch.entity.js';
import { FirmRating } from '../modules/ratings/entities/firm-rating.entity.js';
import { RatingAppeal } from '../modules/ratings/entities/rating-appeal.entity.js';
import { RatingCycle } from '../modules/ratings/entities/rating-cycle.entity.js';
import { RatingDocument } from '../modules/ratings/entities/rating-document.entity.js';
import { RatingReminder } from '../modules/ratings/entities/rating-reminder.entity.js';
import { RatingReviewEvent } from '../modules/ratings/entities/rating-review-event.entity.js';
import { RatingSubmission } from '../modules/ratings/entities/rating-submission.entity.js';
import { ReviewerConflict } from '../modules/ratings/entities/reviewer-conflict.entity.js';
import { ScorecardVersion } from '../modules/ratings/entities/scorecard-version.entity.js';
import { CalendarDay } from '../modules/disputes/entities/calendar-day.entity.js';
import { DisputeAttachment } from '../modules/disputes/entities/dispute-attachment.entity.js';
import { DisputeDeadline } from '../modules/disputes/entities/dispute-deadline.entity.js';
import { DisputeMessage } from '../modules/disputes/entities/dispute-message.entity.js';
import { DisputeSession } from '../modules/disputes/entities/dispute-session.entity.js';
import { DisputeSurvey } from '../modules/disputes/entities/dispute-survey.entity.js';
import { DisputeTicket } from '../modules/disputes/entities/dispute-ticket.entity.js';
import { DisputeTimelineEntry } from '../modules/disputes/entities/dispute-timeline-entry.entity.js';
import { MediatorAffiliation } from '../modules/disputes/entities/mediator-affiliation.entity.js';
import { MediatorChallenge } from '../modules/disputes/entities/mediator-challenge.entity.js';
import { MediatorProfile } from '../modules/disputes/entities/mediator-profile.entity.js';
import { SettlementSignature } from '../modules/disputes/entities/settlement-signature.entity.js';
import { Settlement } from '../modules/disputes/entities/settlement.entity.js';
import { AuditEvent } from '../modules/audit/entities/audit-event.entity.js';
import { LoginFailure } from '../modules/auth/entities/login-failure.entity.js';
import { RecoveryCode } from '../modules/auth/entities/recovery-code.entity.js';
import { Session } from '../modules/auth/entities/session.entity.js';
import { UserToken } from '../modules/auth/entities/user-token.entity.js';
import { Firm } from '../modules/membership/entities/firm.entity.js';
import { ApplicationStep } from '../modules/membership/entities/application-step.entity.js';
import { FirmCategory } from '../modules/membership/entities/firm-category.entity.js';
import { FirmChangeRequest } from '../modules/membership/entities/firm-change-request.entity.js';
import { FirmDocument } from '../modules/membership/entities/firm-document.entity.js';
import { FirmInvitation } from '../modules/membership/entities/firm-invitation.entity.js';
import { FirmLicence } from '../modules/membership/entities/firm-licence.entity.js';
import { FirmRevision } from '../modules/membership/entities/firm-revision.entity.js';
import { FirmStatusEvent } from '../modules/membership/entities/firm-status-event.entity.js';
import { InvoiceReminder } from '../modules/membership/entities/invoice-reminder.entity.js';
import { Invoice } from '../modules/membership/entities/invoice.entity.js';
import { MembershipApplication } from '../modules/membership/entities/membership-application.entity.js';
import { MembershipTier } from '../modules/membership/entities/membership-tier.entity.js';
import { Payment } from '../modules/membership/entities/payment.entity.js';
import { PledgeSignature } from '../modules/pledges/entities/pledge-signature.entity.js';
import { SigningKey } from '../modules/signing/entities/signing-key.entity.js';
import { ConventionVersion } from '../modules/pledges/entities/convention-version.entity.js';
import { PledgeObligation } from '../modules/pledges/entities/pledge-obligation.entity.js';
import { PledgeReminder } from '../modules/pledges/entities/pledge-reminder.entity.js';
import { JobRun } from '../modules/scheduler/entities/job-run.entity.js';
import { SequenceCounter } from './entities/sequence-counter.entity.js';
import { Notification } from '../modules/notifications/entities/notification.entity.js';
import { OutboxEmail } from '../modules/notifications/entities/outbox-email.entity.js';
import { User } from '../modules/users/entities/user.entity.js';

/** Every entity the data source maps. Listed explicitly: globs are fragile under ESM. */
export const ENTITIES = [
  Certificate,
  CertificateBatch,
  CertificateBatchItem,
  FirmRating,
  RatingAppeal,
  RatingCycle,
  RatingDocument,
  RatingReminder,
  RatingReviewEvent,
  RatingSubmission,
  ReviewerConflict,
  ScorecardVersion,
  ApplicationStep,
  AuditEvent,
  CalendarDay,
  ConventionVersion,
  DisputeAttachment,
  DisputeDeadline,
  DisputeMessage,
  DisputeSession,
  DisputeSurvey,
  DisputeTicket,
  DisputeTimelineEntry,
  Firm,
  FirmCategory,
  FirmChangeRequest,
  FirmDocument,
  FirmInvitation,
  FirmLicence,
  FirmRevision,
  FirmStatusEvent,
  Invoice,
  InvoiceReminder,
  JobRun,
  MembershipApplication,
  MediatorAffiliation,
  MediatorChallenge,
  MediatorProfile,
  MembershipTier,
  Payment,
  PledgeObligation,
  PledgeReminder,
  PledgeSignature,
  SigningKey,
  Settlement,
  SettlementSignature,
  SequenceCounter,
  LoginFailure,
  Notification,
  OutboxEmail,
  RecoveryCode,
  Session,
  User,
  UserToken,
];
