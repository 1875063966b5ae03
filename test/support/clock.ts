import { Clock } from '../../src/common/clock/clock';
import type { TestApp } from '../app';

/** Moves the test app's clock forward: passes a pacing or edit window without waiting for it. */
export function advanceClock(t: TestApp, seconds: number): void {
  t.app.get(Clock).advance(seconds * 1000);
}
