import { Foundation1764201600000 } from './1764201600000-foundation.js';
import { EmailOutboxRetry1764288000000 } from './1764288000000-email-outbox-retry.js';
import { Membership1764374400000 } from './1764374400000-membership.js';
import { DirectoryIndexes1764460800030 } from './1764460800030-directory-indexes.js';
import { PledgesConventions1764547200010 } from './1764547200010-pledges-conventions.js';
import { PledgesSignatures1764547200020 } from './1764547200020-pledges-signatures.js';
import { Disputes1764633600000 } from './1764633600000-disputes.js';
import { Ratings1764720000000 } from './1764720000000-ratings.js';
import { Certificates1764806400000 } from './1764806400000-certificates.js';
import { CertificateBatches1764892800000 } from './1764892800000-certificate-batches.js';

/** Every migration, oldest first. A new migration is added here as well as in its own file. */
export const MIGRATIONS = [
  Foundation1764201600000,
  EmailOutboxRetry1764288000000,
  Membership1764374400000,
  DirectoryIndexes1764460800030,
  PledgesConventions1764547200010,
  PledgesSignatures1764547200020,
  Disputes1764633600000,
  Ratings1764720000000,
  Certificates1764806400000,
  CertificateBatches1764892800000,
];
