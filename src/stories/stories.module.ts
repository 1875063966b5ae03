import { Module, type OnModuleInit } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { MemberDataRegistry } from '../common/member-data/member-data';
import { UsersModule } from '../users/users.module';
import { StoriesController } from './stories.controller';
import { StoriesService } from './stories.service';

/**
 * Members' stories (`member_stories`) and finding one another by them: the API under /api/me/story and
 * /api/members, the service the pages ask. A story goes into her archive and goes with her account.
 */
@Module({
  imports: [UsersModule, AuthModule],
  controllers: [StoriesController],
  providers: [StoriesService],
  exports: [StoriesService],
})
export class StoriesModule implements OnModuleInit {
  constructor(
    private readonly stories: StoriesService,
    private readonly memberData: MemberDataRegistry,
  ) {}

  onModuleInit(): void {
    this.memberData.register({
      section: 'story',
      exportBatch: (userId, after) => this.stories.exportOf(userId, after),
      forget: async (m, who) => {
        await m.query(`DELETE FROM member_stories WHERE user_id = $1`, [who.userId]);
      },
    });
  }
}
