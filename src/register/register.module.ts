import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RegisterEntry } from './entities/register-entry.entity';
import { RegisterEvent } from './entities/register-event.entity';
import { Register } from './register';
import { RegisterDirectory } from './register-directory';

@Module({
  imports: [TypeOrmModule.forFeature([RegisterEntry, RegisterEvent])],
  providers: [Register, RegisterDirectory],
  exports: [Register, RegisterDirectory],
})
export class RegisterModule {}
