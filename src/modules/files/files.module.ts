import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AppConfig } from '../../config/app-config.js';
import { FileStore } from './file-store.service.js';

/**
 * The content-addressed file store, and the upload limits every FileInterceptor of a module that
 * imports this one gets: files held in memory (multer's default without `dest` or `storage`:
 * nothing touches the disk before the content has been checked), one file per request, at most
 * UPLOAD_MAX_BYTES (413 beyond it), and file names read as UTF-8 so Chinese names survive.
 */
@Module({
  imports: [
    MulterModule.registerAsync({
      useFactory: (config: AppConfig) => ({
        limits: { fileSize: config.UPLOAD_MAX_BYTES, files: 1 },
        defParamCharset: 'utf8',
      }),
      inject: [AppConfig],
    }),
  ],
  providers: [FileStore],
  exports: [FileStore, MulterModule],
})
export class FilesModule {}
