import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { CALENDAR_2026 } from '../src/modules/disputes/working-calendar.js';
import { index, int, str, text, timestamp, uuid, uuidPk } from './lib/columns.js';

const bigint = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });

/** Disputes: tickets and their clocks, conversation, mediators, settlements, surveys, calendar. */
export class Disputes1764633600000 implements MigrationInterface {
  name = 'Disputes1764633600000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'dispute_tickets',
        columns: [
          uuidPk(),
          str('number', 24, true),
          str('state', 24),
          uuid('complainantUserId'),
          uuid('firmId', true),
          str('category', 32, true),
          bigint('amountFen', true),
          text('facts'),
          text('claim'),
          str('contactPhone', 32, true),
          str('accountRef', 100, true),
          str('consentVersion', 32, true),
          timestamp('consentAt', true),
          str('rejectReason', 32, true),
          text('decisionNote', true),
          str('outcome', 16, true),
          text('firmResponse', true),
          timestamp('firmRespondedAt', true),
          uuid('mediatorUserId', true),
          str('assignment', 16),
          timestamp('assignedAt', true),
          timestamp('mediatorAcceptedAt', true),
          timestamp('contactReleasedAt', true),
          timestamp('extensionRequestedAt', true),
          timestamp('extensionComplainantConsentAt', true),
          timestamp('extensionFirmConsentAt', true),
          timestamp('extendedAt', true),
          timestamp('reopenedAt', true),
          timestamp('filedAt', true),
          timestamp('triagedAt', true),
          timestamp('mediationStartedAt', true),
          timestamp('resolvedAt', true),
          timestamp('closedAt', true),
          timestamp('createdAt'),
          timestamp('updatedAt'),
          int('version'),
        ],
        indices: [
          // Ticket numbers are given once, in filing order; the index also stops a duplicate.
          index('IDX_dispute_tickets_number', ['number'], true),
          index('IDX_dispute_tickets_state', ['state', 'createdAt', 'id']),
          index('IDX_dispute_tickets_firm', ['firmId', 'createdAt', 'id']),
          index('IDX_dispute_tickets_complainant', ['complainantUserId', 'createdAt', 'id']),
          index('IDX_dispute_tickets_mediator', ['mediatorUserId', 'createdAt', 'id']),
          index('IDX_dispute_tickets_category', ['category', 'createdAt', 'id']),
          index('IDX_dispute_tickets_created', ['createdAt', 'id']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'dispute_attachments',
        columns: [
          uuidPk(),
          uuid('ticketId'),
          uuid('messageId', true),
          str('visibility', 24),
          uuid('uploadedBy'),
          str('uploaderParty', 16),
          str('fileName', 255),
          str('contentType', 64),
          int('sizeBytes'),
          str('sha256', 64),
          timestamp('createdAt'),
          timestamp('removedAt', true),
        ],
        indices: [
          index('IDX_dispute_attachments_ticket', ['ticketId', 'createdAt']),
          index('IDX_dispute_attachments_message', ['messageId']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'dispute_messages',
        columns: [
          uuidPk(),
          uuid('ticketId'),
          uuid('authorUserId'),
          str('authorParty', 16),
          str('visibility', 24),
          text('body'),
          timestamp('createdAt'),
        ],
        indices: [index('IDX_dispute_messages_ticket', ['ticketId', 'createdAt', 'id'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'dispute_sessions',
        columns: [
          uuidPk(),
          uuid('ticketId'),
          timestamp('startsAt'),
          int('durationMinutes'),
          str('mode', 8),
          str('place', 500),
          text('note', true),
          uuid('createdBy'),
          timestamp('createdAt'),
          timestamp('cancelledAt', true),
        ],
        indices: [index('IDX_dispute_sessions_ticket', ['ticketId', 'startsAt'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'dispute_deadlines',
        columns: [
          uuidPk(),
          uuid('ticketId'),
          uuid('firmId'),
          str('kind', 24),
          str('startedOn', 10),
          str('dueOn', 10),
          str('status', 12),
          timestamp('metAt', true),
          timestamp('breachedAt', true),
          timestamp('createdAt'),
        ],
        indices: [
          index('IDX_dispute_deadlines_open', ['status', 'dueOn']),
          index('IDX_dispute_deadlines_ticket', ['ticketId', 'kind']),
          index('IDX_dispute_deadlines_firm', ['firmId', 'kind', 'startedOn']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'dispute_timeline',
        columns: [
          uuidPk(),
          uuid('ticketId'),
          timestamp('at'),
          uuid('actorUserId', true),
          str('actorParty', 16),
          str('action', 48),
          str('fromState', 24, true),
          str('toState', 24, true),
          text('detail'),
          str('audience', 12),
          uuid('auditEventId', true),
        ],
        indices: [index('IDX_dispute_timeline_ticket', ['ticketId', 'at', 'id'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'mediator_profiles',
        columns: [
          { ...uuid('userId'), isPrimary: true },
          text('languages'),
          text('specialities'),
          text('bio', true),
          str('status', 12),
          timestamp('createdAt'),
          timestamp('updatedAt'),
          int('version'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'mediator_affiliations',
        columns: [
          uuidPk(),
          uuid('mediatorUserId'),
          uuid('firmId'),
          str('relation', 16),
          str('endedOn', 10, true),
          str('note', 500, true),
          uuid('declaredBy'),
          timestamp('declaredAt'),
          timestamp('removedAt', true),
        ],
        indices: [
          index('IDX_mediator_affiliations_mediator', ['mediatorUserId']),
          index('IDX_mediator_affiliations_firm', ['firmId']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'mediator_challenges',
        columns: [
          uuidPk(),
          uuid('ticketId'),
          str('party', 16),
          uuid('byUserId'),
          uuid('mediatorUserId'),
          text('reason'),
          timestamp('createdAt'),
          str('decision', 12, true),
          text('decisionNote', true),
          uuid('decidedBy', true),
          timestamp('decidedAt', true),
        ],
        indices: [
          // Each party may challenge once per ticket, even when two requests race.
          index('IDX_mediator_challenges_party', ['ticketId', 'party'], true),
          index('IDX_mediator_challenges_open', ['decidedAt', 'createdAt']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'dispute_settlements',
        columns: [
          uuidPk(),
          uuid('ticketId'),
          int('revision'),
          str('status', 24),
          text('facts'),
          text('terms'),
          bigint('amountFen'),
          str('performanceDeadline', 10),
          text('renderedText', true),
          str('textFingerprint', 64, true),
          uuid('draftedBy'),
          timestamp('sentAt', true),
          timestamp('signedAt', true),
          timestamp('performedAt', true),
          uuid('performedBy', true),
          text('performanceNote', true),
          timestamp('performanceConfirmedAt', true),
          timestamp('createdAt'),
          timestamp('updatedAt'),
          int('version'),
        ],
        indices: [index('IDX_dispute_settlements_revision', ['ticketId', 'revision'], true)],
      }),
    );
    await q.createTable(
      new Table({
        name: 'dispute_settlement_signatures',
        columns: [
          uuidPk(),
          uuid('settlementId'),
          uuid('ticketId'),
          str('party', 16),
          uuid('firmId', true),
          str('textFingerprint', 64),
          str('consentVersion', 32),
          str('consentFingerprint', 64),
          uuid('signerUserId'),
          str('typedName', 100),
          str('signerTitle', 100, true),
          timestamp('signedAt'),
          str('ip', 64, true),
          str('userAgent', 500, true),
          str('authMethod', 16),
          text('payload'),
          str('kid', 64),
          str('signature', 128),
          uuid('auditEventId'),
        ],
        indices: [
          // One signature per party and settlement: a double submission fails here.
          index('IDX_settlement_signatures_party', ['settlementId', 'party'], true),
          index('IDX_settlement_signatures_ticket', ['ticketId']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'dispute_surveys',
        columns: [
          { ...uuid('ticketId'), isPrimary: true },
          uuid('complainantUserId'),
          uuid('mediatorUserId', true),
          uuid('firmId'),
          int('rating'),
          text('comment', true),
          timestamp('submittedAt'),
        ],
        indices: [
          index('IDX_dispute_surveys_mediator', ['mediatorUserId', 'submittedAt']),
          index('IDX_dispute_surveys_firm', ['firmId', 'submittedAt']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'dispute_calendar_days',
        columns: [
          { ...str('date', 10), isPrimary: true },
          str('kind', 8),
          str('nameZh', 50),
          str('nameEn', 50),
          uuid('updatedBy', true),
          timestamp('updatedAt'),
        ],
        indices: [index('IDX_dispute_calendar_days_kind', ['kind', 'date'])],
      }),
    );
    const now = new Date();
    for (const day of CALENDAR_2026) {
      await q.manager.insert('dispute_calendar_days', { ...day, updatedBy: null, updatedAt: now });
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'dispute_calendar_days',
      'dispute_surveys',
      'dispute_settlement_signatures',
      'dispute_settlements',
      'mediator_challenges',
      'mediator_affiliations',
      'mediator_profiles',
      'dispute_timeline',
      'dispute_deadlines',
      'dispute_sessions',
      'dispute_messages',
      'dispute_attachments',
      'dispute_tickets',
    ])
      await q.dropTable(table);
  }
}
