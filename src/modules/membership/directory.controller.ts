import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiDocumented } from '../../common/http/api-docs.js';
import {
  DirectoryService,
  type DirectoryPage,
  type PublicFirmRecord,
} from './directory.service.js';
import { DirectoryPageView, PublicFirmRecordView } from './dto/directory-views.dto.js';
import { SearchDirectoryDto } from './dto/search-directory.dto.js';

@ApiTags('directory')
@Controller('api/v1/directory')
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  @Get()
  @ApiDocumented({
    summary:
      'Search the public member directory (active, suspended and expelled members), keyset-paginated by name',
    access: 'public',
    errors: [
      [400, 'VALIDATION_FAILED'],
      [400, 'DIRECTORY_CURSOR_INVALID'],
    ],
  })
  @ApiOkResponse({ type: DirectoryPageView })
  search(@Query() query: SearchDirectoryDto): Promise<DirectoryPage> {
    const { cursor, limit, ...filters } = query;
    return this.directory.search(filters, { cursor, limit });
  }

  @Get(':id')
  @ApiDocumented({
    summary:
      "A member's public record: facts, status history with reason categories, and sections other modules fill",
    access: 'public',
    errors: [
      [400, 'VALIDATION_FAILED'],
      [404, 'FIRM_NOT_FOUND'],
    ],
  })
  @ApiOkResponse({ type: PublicFirmRecordView })
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<PublicFirmRecord> {
    return this.directory.publicRecord(id);
  }
}
