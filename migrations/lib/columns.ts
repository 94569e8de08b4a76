import { TableIndex, type TableColumnOptions } from 'typeorm';
import { TIMESTAMP } from '../../src/database/column-types.js';

/**
 * Small column builders shared by migrations. Frozen: changing one would change what an old
 * migration means, so a new need gets a new builder.
 */
export const uuid = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '36',
  isNullable: nullable,
});

export const uuidPk = (name = 'id'): TableColumnOptions => ({ ...uuid(name), isPrimary: true });

export const str = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});

export const text = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'text',
  isNullable: nullable,
});

export const int = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'integer',
  isNullable: nullable,
});

export const timestamp = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: TIMESTAMP,
  isNullable: nullable,
});

export const index = (name: string, columnNames: string[], isUnique = false): TableIndex =>
  new TableIndex({ name, columnNames, isUnique });
