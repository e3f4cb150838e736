import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RegisterEntry } from './entities/register-entry.entity';
import { RegisterEvent } from './entities/register-event.entity';
import { Register } from './register';

@Module({
  imports: [TypeOrmModule.forFeature([RegisterEntry, RegisterEvent])],
  providers: [Register],
  exports: [Register],
})
export class RegisterModule {}
