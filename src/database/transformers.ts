import type { ValueTransformer } from 'typeorm';

/**
 * PostgreSQL returns bigint as a string (it may exceed 2^53); our bigints (fen amounts) stay far
 * below that, so they are read back as numbers on both databases.
 */
export const bigintToNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
