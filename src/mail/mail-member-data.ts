import { Injectable, type OnModuleInit } from '@nestjs/common';
import { MemberDataRegistry } from '../common/member-data/member-data';

/** When a member goes, the mail kept for her goes too (the outbox's copies, and what is still waiting to be sent). */
@Injectable()
export class MailMemberData implements OnModuleInit {
  constructor(private readonly registry: MemberDataRegistry) {}

  onModuleInit(): void {
    this.registry.register({
      section: 'mail',
      forget: async (m, who) => {
        await m.query(`DELETE FROM mail_messages WHERE user_id = $1`, [who.userId]);
      },
    });
  }
}
