import { Module } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module';
import { SetupPagesController } from './setup-pages.controller';

/** The first admin of a fresh install, through the one-time setup link the server prints at start. */
@Module({
  imports: [AuthModule],
  controllers: [SetupPagesController],
})
export class SetupPagesModule {}
