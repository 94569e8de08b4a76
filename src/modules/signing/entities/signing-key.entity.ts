import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP } from '../../../database/column-types.js';

/**
 * A public key of the association. The private half never enters the database: it lives in
 * DATA_DIR/keys (or the SIGNING_KEY_PEM setting). Retired keys stay here, and in the published
 * key set, so that everything they once signed can still be verified.
 */
@Entity('signing_keys')
export class SigningKey {
  /** `szifa-<yyyymmdd>-<n>`, the `kid` of the JWKS. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid!: string;

  /** JOSE algorithm name; 'EdDSA' (Ed25519) for every key so far. */
  @Column({ type: 'varchar', length: 16 })
  algorithm!: string;

  /** The public key as a JWK (kty OKP, crv Ed25519, x), JSON text. */
  @Column({ type: 'text' })
  publicKeyJwk!: string;

  @Column({ type: TIMESTAMP })
  createdAt!: Date;

  /** When a newer key took over signing; null for the current key. */
  @Column({ type: TIMESTAMP, nullable: true })
  retiredAt!: Date | null;
}
