import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { EVENTS, type EventPayload } from '../../common/events';
import { TypedEvents } from '../../common/typed-events';
import { PRIORITY, QueueService } from './queue.service';

/** Content held or flagged by the publishing gate enters the queue; crisis words also alert moderators online. */
@Injectable()
export class QueueListener {
  private readonly logger = new Logger(QueueListener.name);

  constructor(
    private readonly queue: QueueService,
    private readonly events: TypedEvents,
  ) {}

  @OnEvent(EVENTS.contentSubmitted, { async: true, promisify: true })
  async onSubmitted(e: EventPayload<typeof EVENTS.contentSubmitted>): Promise<void> {
    try {
      const itemId = await this.queue.enqueue({
        targetType: e.targetType,
        targetId: e.targetId,
        reasons: e.reasons,
        held: e.status === 'pending',
        priority: e.crisis ? PRIORITY.crisis : PRIORITY.held,
      });
      if (e.crisis) {
        this.events.emit(EVENTS.moderationAlert, {
          kind: 'crisis',
          itemId,
          targetType: e.targetType,
          targetId: e.targetId,
          excerpt: e.excerpt ?? '',
        });
      }
    } catch (err) {
      this.logger.error(`queueing ${e.targetType} ${e.targetId}: ${(err as Error).message}`);
    }
  }
}
