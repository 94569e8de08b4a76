import { disputesFilingMessages } from './filing.js';
import { disputesMediationMessages } from './mediation.js';
import { disputesSettlementMessages } from './settlement.js';
import { disputesSharedMessages } from './shared.js';
import { disputesWorkflowMessages } from './workflow.js';

export const disputesZh = {
  ...disputesSharedMessages.zh,
  ...disputesFilingMessages.zh,
  ...disputesWorkflowMessages.zh,
  ...disputesMediationMessages.zh,
  ...disputesSettlementMessages.zh,
} as const;

export const disputesEn = {
  ...disputesSharedMessages.en,
  ...disputesFilingMessages.en,
  ...disputesWorkflowMessages.en,
  ...disputesMediationMessages.en,
  ...disputesSettlementMessages.en,
};
