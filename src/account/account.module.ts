import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { MailModule } from '../mail/mail.module';
import { UsersModule } from '../users/users.module';
import { AccountController } from './account.controller';
import { AccountDeletionService } from './account-deletion.service';
import { AccountExportService } from './account-export.service';
import { AccountSweep } from './account-sweep';

/**
 * A member's data and her account's end: the archive of everything she wrote and did, and deletion after a grace
 * period. It reads and forgets other features' rows only through the parts they register (MemberDataRegistry).
 */
@Module({
  imports: [UsersModule, AuthModule, MailModule],
  controllers: [AccountController],
  providers: [AccountExportService, AccountDeletionService, AccountSweep],
  exports: [AccountExportService, AccountDeletionService],
})
export class AccountModule {}
