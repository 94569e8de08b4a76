import { describe, expect, it } from '@jest/globals';
import { isMessageKey, translate } from '../../common/i18n/i18n.js';
import { TIMELINE_ACTIONS } from './timeline-actions.js';

describe('ticket history labels', () => {
  it('names every recorded event in both languages, so no page shows a raw code', () => {
    for (const action of TIMELINE_ACTIONS) {
      const key = `disputes.action.${action}`;
      expect(isMessageKey(key)).toBe(true);
      // A label, not the code again (codes are lower-case words joined by underscores).
      expect(translate('zh-CN', key)).not.toMatch(/^[a-z_]+$/);
      expect(translate('en', key)).not.toMatch(/^[a-z_]+$/);
    }
  });
});
