import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength } from 'class-validator';
import { MESSAGE_VISIBILITIES, type MessageVisibility } from '../visibility.js';

export const MESSAGE_MAX_CHARS = 5000;

export class PostMessageDto {
  @ApiProperty({ maxLength: MESSAGE_MAX_CHARS })
  @IsString()
  @MaxLength(MESSAGE_MAX_CHARS + 1000)
  body!: string;

  @ApiProperty({ enum: MESSAGE_VISIBILITIES })
  @IsIn(MESSAGE_VISIBILITIES)
  visibility!: MessageVisibility;
}

export class MessageAttachmentResponse {
  @ApiProperty() id!: string;
  @ApiProperty() fileName!: string;
  @ApiProperty() contentType!: string;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty() downloadPath!: string;
}

export class MessageResponse {
  @ApiProperty() id!: string;
  @ApiProperty() authorUserId!: string;
  @ApiProperty({ nullable: true, type: String }) authorName!: string | null;
  @ApiProperty() authorParty!: string;
  @ApiProperty({ enum: MESSAGE_VISIBILITIES }) visibility!: MessageVisibility;
  @ApiProperty() body!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: [MessageAttachmentResponse] })
  attachments!: MessageAttachmentResponse[];
}

export class MessageListResponse {
  @ApiProperty({ type: [MessageResponse] }) items!: MessageResponse[];
}
