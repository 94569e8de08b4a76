/**
 * An amount in yuan as people type it: "20000", "20,000.00", "0.5". Kept as text so that no
 * binary fraction touches it; parseYuanToFen turns it into exact fen.
 */
export const YUAN_PATTERN = /^(\d{1,12}|\d{1,3}(,\d{3}){1,3})(\.\d{1,2})?$/;
export const YUAN_EXAMPLE = '20000.00';
