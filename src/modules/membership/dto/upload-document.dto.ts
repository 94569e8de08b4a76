import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { DOCUMENT_KINDS, type DocumentKind } from '../entities/firm-document.entity.js';

/** The multipart form of an upload: the `file` part and this field. */
export class UploadDocumentDto {
  @ApiProperty({ enum: DOCUMENT_KINDS })
  @IsIn(DOCUMENT_KINDS)
  kind!: DocumentKind;
}
