import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { endWakeup } from './end-offsets.js';

describe('the wake-up of the end-offset poll', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  /** Whether the pause has returned once the fake clock moved `ms` on. */
  async function settledAfter(pause: Promise<void>, ms: number): Promise<boolean> {
    let settled = false;
    void pause.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(ms);
    return settled;
  }

  it('pauses for the poll interval when nobody wakes it', async () => {
    const wakeup = endWakeup();
    const pause = wakeup.pause(250);
    expect(await settledAfter(pause, 249)).toBe(false);
    expect(await settledAfter(pause, 1)).toBe(true);
  });

  it('returns at once when woken during the pause', async () => {
    const wakeup = endWakeup();
    const pause = wakeup.pause(250);
    expect(await settledAfter(pause, 10)).toBe(false);
    wakeup.wake();
    expect(await settledAfter(pause, 0)).toBe(true);
  });

  it('keeps a wake that came while no pause ran, for the next pause only', async () => {
    const wakeup = endWakeup();
    wakeup.wake();
    expect(await settledAfter(wakeup.pause(250), 0)).toBe(true);
    expect(await settledAfter(wakeup.pause(250), 10)).toBe(false);
  });
});
