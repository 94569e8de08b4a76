import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../../../common/auth/roles.js';
import type { FirmView } from '../../membership/firms.service.js';
import type { User } from '../../users/entities/user.entity.js';

/** Response shapes of the account flows, for the OpenAPI document. */

export class RegisteredUserView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  email!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  firmId!: string | null;

  @ApiProperty({ description: 'False until the link in the verification e-mail is used.' })
  emailVerified!: boolean;

  static of(user: User): RegisteredUserView {
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      firmId: user.firmId,
      emailVerified: user.emailVerifiedAt !== null,
    };
  }
}

export class RegisteredComplainantResponse {
  @ApiProperty({ type: RegisteredUserView })
  user!: RegisteredUserView;
}

export class RegisteredFirmView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ nullable: true, type: String })
  nameEn!: string | null;

  @ApiProperty()
  creditCode!: string;

  @ApiProperty()
  district!: string;

  @ApiProperty({ example: 'applicant' })
  status!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class RegisteredFirmResponse {
  @ApiProperty({ type: RegisteredUserView })
  user!: RegisteredUserView;

  @ApiProperty({ type: RegisteredFirmView })
  firm!: FirmView;
}

export class PasswordResetRequestedResponse {
  @ApiProperty({ example: 'accepted' })
  status!: 'accepted';

  @ApiProperty({
    description: 'The same message whether or not the address has an account.',
    example: { 'zh-CN': '…', en: '…' },
  })
  message!: { 'zh-CN': string; en: string };
}

export class TotpSetupResponse {
  @ApiProperty({ description: 'The shared secret, base32, for typing into an app by hand.' })
  secret!: string;

  @ApiProperty({ example: 'otpauth://totp/SZIFA:li.lei%40example.cn?secret=…&issuer=SZIFA' })
  otpauthUri!: string;

  @ApiProperty({ description: 'The otpauth URI as a QR code (SVG markup).' })
  qrSvg!: string;
}

export class TotpEnabledResponse {
  @ApiProperty({
    type: [String],
    example: ['k7pm-q2xe-9a'],
    description: 'Ten single-use recovery codes. Shown this once; only their hashes are kept.',
  })
  recoveryCodes!: string[];
}

export class MfaCompletedResponse {
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Always null: the session is complete.',
  })
  pendingStep!: null;

  @ApiProperty({ enum: ['totp', 'recovery_code'] })
  method!: 'totp' | 'recovery_code';

  @ApiProperty({ description: 'Unused recovery codes left; enrol again before they run out.' })
  recoveryCodesRemaining!: number;
}
