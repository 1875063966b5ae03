import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { EventName, EventPayload } from './events';

/** A typed front to the event bus. */
@Injectable()
export class TypedEvents {
  constructor(private readonly emitter: EventEmitter2) {}

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.emitter.emit(event, payload);
  }

  /** Waits for every listener: for records that must be written before the caller goes on (or the CLI exits). */
  async emitAsync<E extends EventName>(event: E, payload: EventPayload<E>): Promise<void> {
    await this.emitter.emitAsync(event, payload);
  }
}
