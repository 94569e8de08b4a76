import { describe, expect, it } from '@jest/globals';
import {
  isMessageVisibility,
  mayRead,
  mayWrite,
  MESSAGE_VISIBILITIES,
  readableVisibilities,
  type MessageVisibility,
  type TicketParty,
} from './visibility.js';

const PARTIES: TicketParty[] = ['complainant', 'firm', 'mediator', 'staff', 'system'];

/** The matrix issue 5 §5 and §8 describe, written out in full. */
const READ: Record<TicketParty, MessageVisibility[]> = {
  complainant: ['parties', 'caucus_complainant'],
  firm: ['parties', 'caucus_firm'],
  mediator: ['parties', 'internal', 'caucus_complainant', 'caucus_firm'],
  staff: ['parties', 'internal', 'caucus_complainant', 'caucus_firm'],
  system: ['parties', 'internal', 'caucus_complainant', 'caucus_firm'],
};
const WRITE: Record<TicketParty, MessageVisibility[]> = {
  complainant: ['parties', 'caucus_complainant'],
  firm: ['parties', 'caucus_firm'],
  mediator: ['parties', 'internal', 'caucus_complainant', 'caucus_firm'],
  // Staff oversee: they may add to the open conversation and leave internal notes, but a caucus
  // is the mediator's private talk with one side.
  staff: ['parties', 'internal'],
  system: ['parties', 'internal'],
};

describe('message visibility matrix', () => {
  describe.each(PARTIES)('%s', (party) => {
    it.each(MESSAGE_VISIBILITIES)('reads %s only when the matrix says so', (visibility) => {
      expect(mayRead(party, visibility)).toBe(READ[party].includes(visibility));
    });
    it.each(MESSAGE_VISIBILITIES)('writes %s only when the matrix says so', (visibility) => {
      expect(mayWrite(party, visibility)).toBe(WRITE[party].includes(visibility));
    });
    it('lists exactly its readable visibilities for queries', () => {
      expect(readableVisibilities(party)).toEqual(READ[party]);
    });
    it('may read whatever it may write', () => {
      for (const v of MESSAGE_VISIBILITIES)
        if (mayWrite(party, v)) expect(mayRead(party, v)).toBe(true);
    });
  });

  it('keeps internal notes from both parties and each caucus from the other side', () => {
    expect(mayRead('complainant', 'internal')).toBe(false);
    expect(mayRead('firm', 'internal')).toBe(false);
    expect(mayRead('complainant', 'caucus_firm')).toBe(false);
    expect(mayRead('firm', 'caucus_complainant')).toBe(false);
  });

  it('recognises only the four visibilities', () => {
    expect(MESSAGE_VISIBILITIES.every(isMessageVisibility)).toBe(true);
    expect(isMessageVisibility('everyone')).toBe(false);
    expect(isMessageVisibility('')).toBe(false);
  });
});
