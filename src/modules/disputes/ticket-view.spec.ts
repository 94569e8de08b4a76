import { describe, expect, it } from '@jest/globals';
import { maskName } from './ticket-view.js';

describe('what a firm sees of the complainant', () => {
  it('masks a name to its first character', () => {
    expect(maskName('张三丰')).toBe('张**');
  });
});
