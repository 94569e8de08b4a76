import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as edSign,
  verify as edVerify,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Like, type EntityManager, type Repository } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/auth/auth-context.js';
import { JsonLogger } from '../../common/logging/json-logger.js';
import { AppConfig } from '../../config/app-config.js';
import { TransactionService } from '../../database/transaction.service.js';
import { AuditService } from '../audit/audit.service.js';
import { SigningKey } from './entities/signing-key.entity.js';
import { SigningError } from './signing.errors.js';

/** The public half of a key as the JWKS publishes it (RFC 8037, OKP / Ed25519). */
export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  use: 'sig';
  alg: 'EdDSA';
}

export interface Jwks {
  keys: PublicJwk[];
}

export interface Signed {
  kid: string;
  /** Ed25519 signature, base64url without padding. */
  signature: string;
}

interface CurrentKey {
  kid: string;
  privateKey: KeyObject;
}

/** Advisory-lock key that serialises key creation between processes (PostgreSQL). */
const SIGNING_KEY_LOCK = 0x5a1fa1;

function jwkOf(publicKey: KeyObject, kid: string): PublicJwk {
  const { x } = publicKey.export({ format: 'jwk' });
  if (typeof x !== 'string') throw new Error('Not an Ed25519 public key');
  return { kty: 'OKP', crv: 'Ed25519', x, kid, use: 'sig', alg: 'EdDSA' };
}

/** 'YYYYMMDD' of an instant in UTC (key ids are named by the day they were made). */
function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10).replace(/-/g, '');
}

/**
 * The association's Ed25519 signing keys, for anything it signs (pledge signatures now,
 * certificates later). The current private key comes from SIGNING_KEY_PEM when set, otherwise
 * from DATA_DIR/keys/<kid>.pem (created with mode 0600 the first time it is needed). Public
 * keys live in signing_keys and are all published, retired ones included, at
 * /.well-known/szifa-keys.json, so that anyone can verify a signature without asking us.
 */
@Injectable()
export class SigningKeysService implements OnApplicationBootstrap {
  private current: Promise<CurrentKey> | null = null;
  private readonly publicKeys = new Map<string, KeyObject>();

  constructor(
    @InjectRepository(SigningKey) private readonly keys: Repository<SigningKey>,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly logger: JsonLogger,
  ) {}

  onApplicationBootstrap(): Promise<void> | void {
    // Without migrations the table may not exist yet; the key is then made on first use.
    if (this.config.MIGRATIONS_RUN) return this.currentKey().then(() => undefined);
  }

  /** Signs bytes with the current key. */
  async sign(payload: Uint8Array | string): Promise<Signed> {
    const key = await this.currentKey();
    const data = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
    return { kid: key.kid, signature: edSign(null, data, key.privateKey).toString('base64url') };
  }

  /** True when `signature` is a valid signature of `payload` by the published key `kid`. */
  async verify(kid: string, payload: Uint8Array | string, signature: string): Promise<boolean> {
    const publicKey = await this.publicKey(kid);
    if (!publicKey) return false;
    const data = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
    try {
      return edVerify(null, data, publicKey, Buffer.from(signature, 'base64url'));
    } catch {
      return false;
    }
  }

  /**
   * The public key `kid` names, imported once: a key's public half never changes once published
   * (retiring a key keeps it), so every later verification skips the read and the JWK import.
   */
  private async publicKey(kid: string): Promise<KeyObject | null> {
    const cached = this.publicKeys.get(kid);
    if (cached) return cached;
    const row = await this.keys.findOneBy({ kid });
    if (!row) return null;
    let key: KeyObject;
    try {
      key = createPublicKey({ key: JSON.parse(row.publicKeyJwk) as JsonWebKey, format: 'jwk' });
    } catch {
      return null;
    }
    this.publicKeys.set(kid, key);
    return key;
  }

  /** Every public key, oldest first: the JWK Set served at /.well-known/szifa-keys.json. */
  async jwks(): Promise<Jwks> {
    await this.currentKey();
    const rows = await this.keys.find({ order: { createdAt: 'ASC', kid: 'ASC' } });
    return { keys: rows.map((row) => JSON.parse(row.publicKeyJwk) as PublicJwk) };
  }

  async currentKid(): Promise<string> {
    return (await this.currentKey()).kid;
  }

  /**
   * Makes a new current key; the old one is retired but stays published, so its signatures
   * still verify. Not possible while SIGNING_KEY_PEM pins the key (change the setting instead).
   */
  async rotate(
    actor: Pick<Actor, 'id' | 'role'> | null,
    meta?: Partial<RequestMeta>,
  ): Promise<string> {
    if (this.config.SIGNING_KEY_PEM) throw new SigningError('SIGNING_KEY_UNAVAILABLE');
    await this.currentKey();
    const privateKey = generateKeyPairSync('ed25519').privateKey;
    const next = await this.tx.run(async (manager) => {
      const kid = await this.install(manager, privateKey, true);
      await this.audit.record(manager, {
        actor,
        action: 'signing_key.rotated',
        subjectType: 'signing_key',
        subjectId: kid,
        summary: { kid },
        meta,
      });
      return { kid, privateKey };
    });
    this.current = Promise.resolve(next);
    return next.kid;
  }

  private currentKey(): Promise<CurrentKey> {
    this.current ??= this.load().catch((error: unknown) => {
      this.current = null;
      throw error;
    });
    return this.current;
  }

  private async load(): Promise<CurrentKey> {
    const configured = this.config.SIGNING_KEY_PEM;
    if (configured) {
      const privateKey = this.parsePem(configured.replace(/\\n/g, '\n'));
      const kid = await this.tx.run(async (manager) => {
        await this.tx.lock(manager, SIGNING_KEY_LOCK);
        const x = jwkOf(createPublicKey(privateKey), '').x;
        const known = (await manager.find(SigningKey)).find(
          (row) => (JSON.parse(row.publicKeyJwk) as PublicJwk).x === x,
        );
        if (known && known.retiredAt === null) return known.kid;
        return this.install(manager, privateKey, false);
      });
      return { kid, privateKey };
    }
    return this.tx.run(async (manager) => {
      await this.tx.lock(manager, SIGNING_KEY_LOCK);
      const row = await manager.findOneBy(SigningKey, { retiredAt: IsNull() });
      if (row && existsSync(this.pemPath(row.kid))) {
        return {
          kid: row.kid,
          privateKey: this.parsePem(readFileSync(this.pemPath(row.kid), 'utf8')),
        };
      }
      if (row) {
        // The private key is gone (a new DATA_DIR?): its signatures still verify with the
        // published public key, but nothing more can be signed with it.
        this.logger.event('warn', 'signing_key.private_key_missing', { kid: row.kid });
      }
      const privateKey = generateKeyPairSync('ed25519').privateKey;
      const kid = await this.install(manager, privateKey, true);
      return { kid, privateKey };
    });
  }

  /**
   * Retires the current key and records `privateKey`'s public half as the new current one,
   * inside the caller's transaction; writes the private key to DATA_DIR/keys when asked.
   */
  private async install(
    manager: EntityManager,
    privateKey: KeyObject,
    writeFile: boolean,
  ): Promise<string> {
    const now = new Date(Math.floor(Date.now()));
    const day = utcDay(now);
    const sameDay = await manager.countBy(SigningKey, { kid: Like(`szifa-${day}-%`) });
    const kid = `szifa-${day}-${sameDay + 1}`;
    if (writeFile) {
      const dir = join(this.config.DATA_DIR, 'keys');
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const path = this.pemPath(kid);
      writeFileSync(path, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
      // writeFileSync's mode is filtered by the umask; the key must be the owner's alone.
      chmodSync(path, 0o600);
    }
    await manager.update(SigningKey, { retiredAt: IsNull() }, { retiredAt: now });
    await manager.insert(SigningKey, {
      kid,
      algorithm: 'EdDSA',
      publicKeyJwk: JSON.stringify(jwkOf(createPublicKey(privateKey), kid)),
      createdAt: now,
      retiredAt: null,
    });
    this.logger.event('info', 'signing_key.created', { kid });
    return kid;
  }

  private pemPath(kid: string): string {
    return join(this.config.DATA_DIR, 'keys', `${kid}.pem`);
  }

  private parsePem(pem: string): KeyObject {
    let key: KeyObject;
    try {
      key = createPrivateKey(pem);
    } catch {
      throw new SigningError('SIGNING_KEY_UNAVAILABLE');
    }
    if (key.asymmetricKeyType !== 'ed25519') throw new SigningError('SIGNING_KEY_UNAVAILABLE');
    return key;
  }
}
