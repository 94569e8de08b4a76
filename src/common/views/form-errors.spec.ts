import { describe, expect, it } from '@jest/globals';
import { fieldError, formErrors } from './form-errors.js';

const FIELDS = ['email', 'password'] as const;

describe('formErrors', () => {
  it('gives every field a slot, null when it is fine, so strict templates can read them all', () => {
    expect(formErrors('zh-CN', FIELDS).errors).toEqual({ email: null, password: null });
  });

  it('names the field by its label instead of the property, in both languages', () => {
    const error = fieldError(
      'email',
      'isEmail',
      'email 不是有效的电子邮箱地址',
      'email must be an email',
    );
    const labels = { email: '电子邮箱' };
    expect(formErrors('zh-CN', FIELDS, [error], { labels }).errors.email).toBe(
      '电子邮箱不是有效的电子邮箱地址',
    );
    expect(formErrors('en', FIELDS, [error], { labels: { email: 'E-mail' } }).errors.email).toBe(
      'E-mail must be an email',
    );
  });

  it('shows only the first problem of a field, and lists the summary in form order after the form message', () => {
    const { errors, errorList } = formErrors(
      'en',
      FIELDS,
      [
        fieldError('password', 'a', 'x', 'Password is required.'),
        fieldError('email', 'b', 'x', 'Bad e-mail.'),
        fieldError('email', 'c', 'x', 'Too long.'),
      ],
      { formMessage: 'Wrong e-mail or password.' },
    );
    expect(errors).toEqual({ email: 'Bad e-mail.', password: 'Password is required.' });
    expect(errorList).toEqual([
      { field: null, message: 'Wrong e-mail or password.' },
      { field: 'email', message: 'Bad e-mail.' },
      { field: 'password', message: 'Password is required.' },
    ]);
  });

  it('puts an error about a field the form does not have in the summary only, unlinked', () => {
    const { errors, errorList } = formErrors('en', FIELDS, [
      fieldError('role', 'whitelistValidation', 'x', 'property role should not exist'),
    ]);
    expect(errors).toEqual({ email: null, password: null });
    expect(errorList).toEqual([{ field: null, message: 'property role should not exist' }]);
  });
});
