/**
 * Patterned UUIDs for seeded rows: row n of a kind gets `<prefix>-0000-4000-8000-<n in hex>`, so
 * a row's id follows from its number in JavaScript and in SQL alike (see `sqlUuid`).
 */
export const hex12 = (n: number): string => n.toString(16).padStart(12, '0');

export const ID_PREFIX = {
  firm: '00000000',
  ticket: '10000000',
  complainant: '20000000',
  mediator: '30000000',
  deadline: '40000000',
  firmUser: '50000000',
  staff: '60000000',
  certificate: '70000000',
  /** What a pledge or rating certificate certifies (a signature, a rating). */
  subject: '80000000',
} as const;

export type IdKind = keyof typeof ID_PREFIX;

export const seededId = (kind: IdKind, n: number): string =>
  `${ID_PREFIX[kind]}-0000-4000-8000-${hex12(n)}`;

export const firmId = (n: number): string => seededId('firm', n);
export const ticketId = (n: number): string => seededId('ticket', n);
export const userId = (n: number): string => seededId('complainant', n);
export const mediatorId = (n: number): string => seededId('mediator', n);

/** The same id computed by PostgreSQL from an integer expression. */
export const sqlUuid = (kind: IdKind, expr: string): string =>
  `'${ID_PREFIX[kind]}-0000-4000-8000-' || lpad(to_hex(${expr}), 12, '0')`;
