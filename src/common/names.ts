/**
 * A person's name as typed for a signature, in the one form in which it is compared with the
 * registered name and stored: Unicode NFC (so 'é' typed two ways is one name), trimmed.
 */
export function normaliseName(name: string): string {
  return name.normalize('NFC').trim();
}
