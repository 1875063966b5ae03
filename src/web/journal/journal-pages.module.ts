import { Module } from '@nestjs/common';
import { JournalModule } from '../../journal/journal.module';
import { JournalRenderModule } from '../../journal/render/journal-render.module';
import { JournalPagesController } from './journal-pages.controller';
import { JournalSettingsPagesController } from './journal-settings-pages.controller';
import { JournalSharedPageController } from './journal-shared-page.controller';

/** The symptom journal in pages: hers (members only) and the read-only page a share link opens. */
@Module({
  imports: [JournalModule, JournalRenderModule],
  controllers: [JournalSettingsPagesController, JournalSharedPageController, JournalPagesController],
})
export class JournalPagesModule {}
