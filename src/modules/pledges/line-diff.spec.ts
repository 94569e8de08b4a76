import { describe, expect, it } from '@jest/globals';
import { diffLines } from './line-diff.js';

const summary = (oldText: string, newText: string): string[] =>
  diffLines(oldText, newText).map(
    (l) => `${l.op === 'same' ? ' ' : l.op === 'added' ? '+' : '-'}${l.text}`,
  );

describe('the line diff between convention versions', () => {
  it('marks a changed line as removed then added and keeps the rest', () => {
    expect(summary('a\nb\nc', 'a\nB\nc')).toEqual([' a', '-b', '+B', ' c']);
  });

  it('finds inserted and deleted lines in the middle of a text', () => {
    expect(summary('a\nb\nc\nd', 'a\nc\nx\nd\ne')).toEqual([' a', '-b', ' c', '+x', ' d', '+e']);
  });

  it('numbers lines in both texts', () => {
    const lines = diffLines('a\nb', 'b\nc');
    expect(lines).toEqual([
      { op: 'removed', text: 'a', oldLine: 1, newLine: null },
      { op: 'same', text: 'b', oldLine: 2, newLine: 1 },
      { op: 'added', text: 'c', oldLine: null, newLine: 2 },
    ]);
  });

  it('reports nothing changed for identical texts', () => {
    expect(diffLines('x\ny', 'x\ny').every((l) => l.op === 'same')).toBe(true);
  });
});
