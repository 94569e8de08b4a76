import { randomUUID } from 'node:crypto';
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { DEFAULT_SCORECARD } from '../src/modules/ratings/default-scorecard.js';
import { definitionFingerprint } from '../src/modules/ratings/scorecard.js';
import { index, int, str, text, timestamp, uuid, uuidPk } from './lib/columns.js';

/** Credit ratings: scorecards (version 1 shipped), cycles, submissions, reviews, grades, appeals. */
export class Ratings1764720000000 implements MigrationInterface {
  name = 'Ratings1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'rating_scorecards',
        columns: [
          uuidPk(),
          int('number'),
          str('nameZh', 100),
          str('nameEn', 100),
          text('definition'),
          str('fingerprint', 64, true),
          str('status', 12),
          uuid('createdBy', true),
          timestamp('createdAt'),
          timestamp('publishedAt', true),
          timestamp('updatedAt'),
          int('version'),
        ],
        indices: [index('IDX_rating_scorecards_number', ['number'], true)],
      }),
    );
    await q.createTable(
      new Table({
        name: 'rating_cycles',
        columns: [
          uuidPk(),
          str('nameZh', 100),
          str('nameEn', 100),
          uuid('scorecardId'),
          str('periodFrom', 10),
          str('periodTo', 10),
          str('opensOn', 10),
          str('closesOn', 10),
          str('state', 12),
          uuid('createdBy'),
          timestamp('createdAt'),
          timestamp('openedAt', true),
          timestamp('closedAt', true),
          timestamp('updatedAt'),
          int('version'),
        ],
        indices: [index('IDX_rating_cycles_state', ['state', 'closesOn'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'rating_submissions',
        columns: [
          uuidPk(),
          uuid('cycleId'),
          uuid('firmId'),
          str('state', 16),
          text('firmValues'),
          text('platformValues'),
          int('scoreHundredths', true),
          str('computedGrade', 4, true),
          str('scorecardFingerprint', 64, true),
          str('proposedGrade', 4, true),
          uuid('proposedBy', true),
          timestamp('proposedAt', true),
          text('rationale', true),
          uuid('confirmedBy', true),
          timestamp('confirmedAt', true),
          text('returnComment', true),
          timestamp('submittedAt', true),
          timestamp('createdAt'),
          timestamp('updatedAt'),
          int('version'),
        ],
        indices: [
          // One submission per firm and cycle, even when two drafts are started at once.
          index('IDX_rating_submissions_cycle_firm', ['cycleId', 'firmId'], true),
          index('IDX_rating_submissions_cycle_state', ['cycleId', 'state']),
          index('IDX_rating_submissions_firm', ['firmId', 'createdAt']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'rating_review_events',
        columns: [
          uuidPk(),
          uuid('submissionId'),
          uuid('firmId'),
          uuid('actorUserId', true),
          str('action', 32),
          str('fromState', 16, true),
          str('toState', 16, true),
          str('grade', 4, true),
          text('comment', true),
          timestamp('at'),
          uuid('auditEventId', true),
        ],
        indices: [
          index('IDX_rating_review_events_submission', ['submissionId', 'at', 'id']),
          index('IDX_rating_review_events_actor', ['actorUserId', 'submissionId']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'rating_documents',
        columns: [
          uuidPk(),
          uuid('firmId'),
          uuid('submissionId'),
          uuid('appealId', true),
          str('fileName', 255),
          str('contentType', 64),
          int('sizeBytes'),
          str('sha256', 64),
          uuid('uploadedBy'),
          timestamp('uploadedAt'),
          timestamp('removedAt', true),
        ],
        indices: [
          index('IDX_rating_documents_submission', ['submissionId', 'uploadedAt']),
          index('IDX_rating_documents_appeal', ['appealId']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'firm_ratings',
        columns: [
          uuidPk(),
          uuid('firmId'),
          uuid('cycleId'),
          uuid('submissionId'),
          str('grade', 4),
          int('scoreHundredths'),
          str('effectiveOn', 10),
          str('expiresOn', 10),
          str('status', 12),
          timestamp('underAppealSince', true),
          uuid('replacesId', true),
          uuid('publishedBy'),
          timestamp('publishedAt'),
          timestamp('endedAt', true),
          str('endReason', 48, true),
          int('version'),
        ],
        indices: [
          index('IDX_firm_ratings_firm', ['firmId', 'publishedAt']),
          index('IDX_firm_ratings_status_expiry', ['status', 'expiresOn']),
          index('IDX_firm_ratings_cycle', ['cycleId', 'grade']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'rating_appeals',
        columns: [
          uuidPk(),
          uuid('ratingId'),
          uuid('firmId'),
          uuid('submissionId'),
          text('reasons'),
          uuid('filedBy'),
          timestamp('filedAt'),
          str('state', 12),
          uuid('decidedBy', true),
          timestamp('decidedAt', true),
          str('outcomeGrade', 4, true),
          text('rationale', true),
          int('version'),
        ],
        indices: [
          // One appeal per published rating, even when two are filed at once.
          index('IDX_rating_appeals_rating', ['ratingId'], true),
          index('IDX_rating_appeals_state', ['state', 'filedAt']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'rating_reviewer_conflicts',
        columns: [
          uuidPk(),
          uuid('reviewerUserId'),
          uuid('firmId'),
          str('note', 500),
          uuid('declaredBy'),
          timestamp('declaredAt'),
          timestamp('removedAt', true),
        ],
        indices: [
          index('IDX_rating_reviewer_conflicts_reviewer', ['reviewerUserId', 'firmId']),
          index('IDX_rating_reviewer_conflicts_firm', ['firmId']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'rating_reminders',
        columns: [
          { ...uuid('cycleId'), isPrimary: true },
          { ...uuid('firmId'), isPrimary: true },
          { ...str('kind', 8), isPrimary: true },
          timestamp('sentAt'),
        ],
      }),
    );
    const now = new Date();
    await q.manager.insert('rating_scorecards', {
      id: randomUUID(),
      number: 1,
      nameZh: '互联网金融机构信用评级评分表',
      nameEn: 'Credit-rating scorecard for internet-finance firms',
      definition: JSON.stringify(DEFAULT_SCORECARD),
      fingerprint: definitionFingerprint(DEFAULT_SCORECARD),
      status: 'published',
      createdBy: null,
      createdAt: now,
      publishedAt: now,
      updatedAt: now,
      version: 1,
    });
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'rating_reminders',
      'rating_reviewer_conflicts',
      'rating_appeals',
      'firm_ratings',
      'rating_documents',
      'rating_review_events',
      'rating_submissions',
      'rating_cycles',
      'rating_scorecards',
    ])
      await q.dropTable(table);
  }
}
