import { Module } from '@nestjs/common';
import { MemberAddresses } from './member-addresses';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  controllers: [UsersController],
  providers: [UsersService, MemberAddresses],
  exports: [UsersService, MemberAddresses],
})
export class UsersModule {}
