import { TICKET_ACTIONS } from './ticket.state.js';

/**
 * Every event a ticket's history records: its transitions, plus the changes and events that
 * leave the state alone. Each has a label in the catalogue (`disputes.action.<action>`, pinned by
 * timeline-actions.spec.ts), so the timeline never shows a raw code.
 */
export const TIMELINE_ACTIONS = [
  ...TICKET_ACTIONS,
  'draft_updated',
  'extension_requested',
  'extension_consented',
  'extended',
  'deadline_breached',
  'assignment_offered',
  'assignment_opened',
  'assignment_accepted',
  'assignment_declined',
  'assignment_released',
  'mediator_challenged',
  'challenge_decided',
  'contact_released',
  'message_posted',
  'session_scheduled',
  'session_cancelled',
  'settlement_drafted',
  'settlement_sent',
  'settlement_signed',
  'settlement_withdrawn',
  'performance_recorded',
  'survey_submitted',
] as const;
export type TimelineAction = (typeof TIMELINE_ACTIONS)[number];
