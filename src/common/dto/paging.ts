import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/**
 * The page-size query field every list takes: an optional integer from 1 to `max` (a larger one
 * is refused with 400, never silently served), `byDefault` when absent.
 */
export function PageLimit(max: number, byDefault: number): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: max, default: byDefault }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(max),
  );
}

/** The opaque keyset cursor of the next page (a list's `nextCursor`), at most `maxLength` long. */
export function PageCursor(maxLength: number): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description: "The previous page's nextCursor (opaque)." }),
    IsOptional(),
    IsString(),
    MaxLength(maxLength),
  );
}
