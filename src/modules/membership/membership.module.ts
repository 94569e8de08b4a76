import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Firm } from './entities/firm.entity.js';
import { FirmsController } from './firms.controller.js';
import { FirmsService } from './firms.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Firm])],
  controllers: [FirmsController],
  providers: [FirmsService],
  exports: [FirmsService],
})
export class MembershipModule {}
