import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The filter form of /staff/audit (a GET form). Dates are calendar days in Beijing time, both
 * ends included, because that is how people at the association think of "from 1 to 3 March".
 */
export class AuditPageQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(64)
  action?: string;

  @ValidateIf((o: AuditPageQueryDto) => o.subjectType !== undefined || o.subjectId !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  subjectType?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  subjectId?: string;

  @IsOptional()
  @IsUUID()
  actorId?: string;

  @IsOptional()
  @Matches(DATE_ONLY)
  @IsISO8601({ strict: true })
  from?: string;

  @IsOptional()
  @Matches(DATE_ONLY)
  @IsISO8601({ strict: true })
  to?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  before?: number;

  @IsOptional()
  @IsIn(['1'])
  verify?: string;
}
