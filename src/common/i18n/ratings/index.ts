import { ratingsReviewMessages } from './review.js';
import { ratingsSharedMessages } from './shared.js';
import { ratingsSubmissionsMessages } from './submissions.js';

export const ratingsZh = {
  ...ratingsSharedMessages.zh,
  ...ratingsSubmissionsMessages.zh,
  ...ratingsReviewMessages.zh,
} as const;

export const ratingsEn = {
  ...ratingsSharedMessages.en,
  ...ratingsSubmissionsMessages.en,
  ...ratingsReviewMessages.en,
};
