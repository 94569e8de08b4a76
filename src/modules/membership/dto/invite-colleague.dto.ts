import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, MaxLength } from 'class-validator';

export const INVITABLE_ROLES = ['firm_admin', 'firm_member'] as const;
export type InvitableRole = (typeof INVITABLE_ROLES)[number];

export class InviteColleagueDto {
  @ApiProperty({ example: 'colleague@example-fintech.cn', maxLength: 254 })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ enum: INVITABLE_ROLES })
  @IsIn(INVITABLE_ROLES)
  role!: InvitableRole;
}
