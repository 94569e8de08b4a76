import { describe, expect, it } from '@jest/globals';
import {
  assertConventionSigned,
  ConventionSignatureCheck,
  NoConventionYet,
  type ConventionSignatureStatus,
} from './convention-check.js';

/** Answers whatever the test says, and remembers whom it was asked about. */
class FakeConventions extends ConventionSignatureCheck {
  asked: string[] = [];
  constructor(private readonly status: ConventionSignatureStatus) {
    super();
  }
  check(firmId: string): Promise<ConventionSignatureStatus> {
    this.asked.push(firmId);
    return Promise.resolve(this.status);
  }
}

describe('the convention signature required for admission', () => {
  it('refuses admission with CONVENTION_NOT_SIGNED when a convention is required and unsigned', async () => {
    const fake = new FakeConventions({ required: true, signed: false });
    await expect(assertConventionSigned(fake, 'firm-1')).rejects.toMatchObject({
      code: 'CONVENTION_NOT_SIGNED',
      spec: { status: 409 },
    });
    expect(fake.asked).toEqual(['firm-1']);
  });

  it('admits a firm that has signed the required convention', async () => {
    const fake = new FakeConventions({ required: true, signed: true });
    await expect(assertConventionSigned(fake, 'firm-1')).resolves.toBeUndefined();
  });

  it('admits anyone while no convention is required', async () => {
    await expect(
      assertConventionSigned(new FakeConventions({ required: false, signed: false }), 'f'),
    ).resolves.toBeUndefined();
  });

  it('requires nothing by default, until the pledges module replaces the check', async () => {
    const check = new NoConventionYet();
    await expect(check.check()).resolves.toEqual({ required: false, signed: false });
    await expect(assertConventionSigned(check, 'firm-1')).resolves.toBeUndefined();
  });
});
