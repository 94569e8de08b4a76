import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { TransactionService } from '../../database/transaction.service.js';
import { updateVersioned } from '../../database/versioned-update.js';
import { AuditService } from '../audit/audit.service.js';
import { ScorecardVersion } from './entities/scorecard-version.entity.js';
import { RatingsError } from './ratings.errors.js';
import {
  checkDefinition,
  definitionFingerprint,
  type DefinitionProblem,
  type ScorecardDefinition,
} from './scorecard.js';

export interface ScorecardView {
  id: string;
  number: number;
  nameZh: string;
  nameEn: string;
  status: 'draft' | 'published';
  fingerprint: string | null;
  definition: ScorecardDefinition;
  createdAt: string;
  publishedAt: string | null;
  updatedAt: string;
  version: number;
}

export interface ScorecardChanges {
  nameZh?: string;
  nameEn?: string;
  /** The definition as JSON text (the staff editor's textarea) or as an object (the API). */
  definition?: string | Record<string, unknown>;
  version?: number;
}

export function toScorecardView(row: ScorecardVersion): ScorecardView {
  return {
    id: row.id,
    number: row.number,
    nameZh: row.nameZh,
    nameEn: row.nameEn,
    status: row.status,
    fingerprint: row.fingerprint,
    definition: parseStored(row),
    createdAt: row.createdAt.toISOString(),
    publishedAt: row.publishedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  };
}

/** A stored definition (checked before it was saved). */
export function parseStored(row: Pick<ScorecardVersion, 'definition'>): ScorecardDefinition {
  return JSON.parse(row.definition) as ScorecardDefinition;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses and checks a definition staff typed: JSON syntax and shape first (checkDefinition
 * assumes objects), then checkDefinition. Returns the definition or the problems by path.
 */
export function readDefinition(
  input: string | Record<string, unknown>,
):
  | { definition: ScorecardDefinition; problems: [] }
  | { definition: null; problems: DefinitionProblem[] } {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      return {
        definition: null,
        problems: [{ path: '', message: `not JSON: ${(error as Error).message}` }],
      };
    }
  }
  if (!isObject(value))
    return { definition: null, problems: [{ path: '', message: 'a JSON object' }] };
  const problems: DefinitionProblem[] = [];
  for (const list of ['indicators', 'grades'] as const) {
    const items = value[list];
    if (!Array.isArray(items)) problems.push({ path: list, message: 'a list' });
    else
      items.forEach((item, i) => {
        if (!isObject(item)) problems.push({ path: `${list}[${i}]`, message: 'an object' });
        else if (list === 'indicators')
          for (const sub of ['bands', 'choices'] as const)
            if (
              item[sub] !== undefined &&
              (!Array.isArray(item[sub]) || !(item[sub] as unknown[]).every(isObject))
            )
              problems.push({ path: `${list}[${i}].${sub}`, message: 'a list of objects' });
      });
  }
  if (problems.length > 0) return { definition: null, problems };
  const definition = value as unknown as ScorecardDefinition;
  const checked = checkDefinition(definition);
  return checked.length > 0
    ? { definition: null, problems: checked }
    : { definition, problems: [] };
}

/**
 * Scorecard versions: staff admins draft a new version from a copy, edit it, and publish it;
 * a published version never changes (cycles score against it).
 */
@Injectable()
export class ScorecardsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  list(): Promise<ScorecardVersion[]> {
    return this.dataSource.manager.find(ScorecardVersion, { order: { number: 'DESC' } });
  }

  published(): Promise<ScorecardVersion[]> {
    return this.dataSource.manager.find(ScorecardVersion, {
      where: { status: 'published' },
      order: { number: 'DESC' },
    });
  }

  async get(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ScorecardVersion> {
    const row = await manager.findOneBy(ScorecardVersion, { id });
    if (!row) throw new RatingsError('SCORECARD_NOT_FOUND');
    return row;
  }

  /** A new draft version: a copy of `copyFromId`, or of the newest version. */
  createDraft(
    actor: Actor,
    copyFromId: string | null,
    meta?: Partial<RequestMeta>,
  ): Promise<ScorecardVersion> {
    return this.tx.run(async (manager) => {
      const [latest] = await manager.find(ScorecardVersion, { order: { number: 'DESC' }, take: 1 });
      const source = copyFromId ? await this.get(copyFromId, manager) : latest;
      if (!source) throw new RatingsError('SCORECARD_NOT_FOUND');
      const now = new Date();
      const number = (latest?.number ?? 0) + 1;
      const row: ScorecardVersion = {
        id: randomUUID(),
        number,
        nameZh: `${source.nameZh}（第 ${number} 版草稿）`.slice(0, 100),
        nameEn: `${source.nameEn} (draft v${number})`.slice(0, 100),
        definition: source.definition,
        fingerprint: null,
        status: 'draft',
        createdBy: actor.id,
        createdAt: now,
        publishedAt: null,
        updatedAt: now,
        version: 1,
      };
      await manager.insert(ScorecardVersion, row);
      await this.record(
        manager,
        actor,
        'ratings.scorecard_drafted',
        row,
        { copiedFrom: source.number },
        meta,
      );
      return row;
    });
  }

  /** Edits a draft's names and definition; a definition with problems is refused with them. */
  update(
    actor: Actor,
    id: string,
    changes: ScorecardChanges,
    meta?: Partial<RequestMeta>,
  ): Promise<ScorecardVersion> {
    return this.tx.run(async (manager) => {
      const row = await this.get(id, manager);
      if (row.status !== 'draft') throw new RatingsError('SCORECARD_PUBLISHED');
      const next: Partial<ScorecardVersion> = { updatedAt: new Date() };
      if (changes.nameZh !== undefined) next.nameZh = changes.nameZh.trim();
      if (changes.nameEn !== undefined) next.nameEn = changes.nameEn.trim();
      if (changes.definition !== undefined) {
        const read = readDefinition(changes.definition);
        if (read.definition === null)
          throw new RatingsError('SCORECARD_INVALID', { problems: read.problems });
        next.definition = JSON.stringify(read.definition);
      }
      await updateVersioned(manager, ScorecardVersion, id, changes.version ?? row.version, next);
      const updated = { ...row, ...next, version: row.version + 1 };
      await this.record(
        manager,
        actor,
        'ratings.scorecard_edited',
        updated,
        {
          definitionChanged: changes.definition !== undefined,
        },
        meta,
      );
      return updated;
    });
  }

  /** Publishes a draft: its fingerprint is fixed and it can no longer change. */
  publish(actor: Actor, id: string, meta?: Partial<RequestMeta>): Promise<ScorecardVersion> {
    return this.tx.run(async (manager) => {
      const row = await this.get(id, manager);
      if (row.status !== 'draft') throw new RatingsError('SCORECARD_PUBLISHED');
      const read = readDefinition(row.definition);
      if (read.definition === null)
        throw new RatingsError('SCORECARD_INVALID', { problems: read.problems });
      const now = new Date();
      const next: Partial<ScorecardVersion> = {
        status: 'published',
        fingerprint: definitionFingerprint(read.definition),
        publishedAt: now,
        updatedAt: now,
      };
      await updateVersioned(manager, ScorecardVersion, id, row.version, next);
      const published = { ...row, ...next, version: row.version + 1 };
      await this.record(
        manager,
        actor,
        'ratings.scorecard_published',
        published,
        {
          fingerprint: next.fingerprint,
        },
        meta,
      );
      return published;
    });
  }

  private async record(
    manager: EntityManager,
    actor: Actor,
    action: string,
    row: ScorecardVersion,
    detail: Record<string, unknown>,
    meta?: Partial<RequestMeta>,
  ): Promise<void> {
    await this.audit.record(manager, {
      actor,
      action,
      subjectType: 'rating_scorecard',
      subjectId: row.id,
      summary: { number: row.number, ...detail },
      meta,
    });
  }
}
