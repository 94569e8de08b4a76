import { AuditEvent } from '../modules/audit/entities/audit-event.entity.js';
import { LoginFailure } from '../modules/auth/entities/login-failure.entity.js';
import { RecoveryCode } from '../modules/auth/entities/recovery-code.entity.js';
import { Session } from '../modules/auth/entities/session.entity.js';
import { UserToken } from '../modules/auth/entities/user-token.entity.js';
import { Firm } from '../modules/membership/entities/firm.entity.js';
import { Notification } from '../modules/notifications/entities/notification.entity.js';
import { OutboxEmail } from '../modules/notifications/entities/outbox-email.entity.js';
import { User } from '../modules/users/entities/user.entity.js';

/** Every entity the data source maps. Listed explicitly: globs are fragile under ESM. */
export const ENTITIES = [
  AuditEvent,
  Firm,
  LoginFailure,
  Notification,
  OutboxEmail,
  RecoveryCode,
  Session,
  User,
  UserToken,
];
