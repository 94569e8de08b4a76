import { ApiProperty } from '@nestjs/swagger';

class LocalisedText {
  @ApiProperty({ name: 'zh-CN' })
  'zh-CN'!: string;

  @ApiProperty()
  en!: string;
}

export class NotificationView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'membership.application_approved' })
  kind!: string;

  @ApiProperty({ type: LocalisedText })
  title!: LocalisedText;

  @ApiProperty({ type: 'string', nullable: true, description: 'A path on this site, or null.' })
  link!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  readAt!: string | null;
}

export class NotificationPageView {
  @ApiProperty({ type: [NotificationView], description: 'Newest first.' })
  items!: NotificationView[];

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'Pass as `cursor` for the next page.',
  })
  nextCursor!: string | null;
}
