import type { MigrationInterface, QueryRunner } from 'typeorm';
import { index } from './lib/columns.js';

/**
 * Indexes for the public directory's keyset search (membership/directory.repository.ts), which
 * walks one status at a time in (name, id) order and stops when the page is full.
 *
 * - IDX_firms_status_name_search adds the lower-cased search text to (status, name, id), so a
 *   name search tests index entries and never fetches a row it then discards: a rare name over
 *   100,000 firms is one pass over an index, not 100,000 row lookups.
 * - IDX_firms_status_district_name and IDX_firms_status_tier_name let a district or tier filter
 *   walk only the matching firms, already in name order. The single-column district and tier
 *   indexes serve a query planner that has statistics (PostgreSQL); SQLite, which has none
 *   unless someone runs ANALYZE, otherwise walks every firm of the status to find a rare
 *   district-and-tier combination.
 *
 * bench/README.md has the measurements that motivated each.
 */
export class DirectoryIndexes1764460800030 implements MigrationInterface {
  name = 'DirectoryIndexes1764460800030';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex(
      'firms',
      index('IDX_firms_status_name_search', ['status', 'name', 'id', 'searchText']),
    );
    await q.createIndex(
      'firms',
      index('IDX_firms_status_district_name', ['status', 'district', 'name', 'id']),
    );
    await q.createIndex(
      'firms',
      index('IDX_firms_status_tier_name', ['status', 'tier', 'name', 'id']),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('firms', 'IDX_firms_status_tier_name');
    await q.dropIndex('firms', 'IDX_firms_status_district_name');
    await q.dropIndex('firms', 'IDX_firms_status_name_search');
  }
}
