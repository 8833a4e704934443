import {describe, expect, it} from 'vitest';
import type {CreateContainerSpec} from '../../source/engine/port.js';
import {withHelperContainer} from '../../source/jobs/helpers/helper-container.js';
import {FakeEngine} from '../helpers/fake-engine.js';

/** An engine whose create takes a while, as a real one does, and which keeps what it made. */
class SlowCreateEngine extends FakeEngine {
  made: string[] = [];
  removed: string[] = [];
  override async createContainer(spec?: CreateContainerSpec): Promise<never> {
    await new Promise(resolve => setTimeout(resolve, 50));
    this.made.push(spec!.name!);
    return {id: `id-of-${spec!.name!}`} as never;
  }

  override async removeContainer(id?: string): Promise<never> {
    this.removed.push(id!);
    return undefined as never;
  }
}

describe('a helper container', () => {
  it('cancelled while the engine makes it: it is still removed once made, and the action never runs', async () => {
    const engine = new SlowCreateEngine();
    const controller = new AbortController();
    let isUsed = false;
    setTimeout(() => controller.abort(), 10);
    const outcome = withHelperContainer(engine, {Image: 'x'}, {purpose: 'test', signal: controller.signal}, async () => {
      isUsed = true;
    });
    await expect(outcome).rejects.toThrow();
    expect(engine.made).toHaveLength(1);
    expect(engine.removed).toEqual([`id-of-${engine.made[0]!}`]);
    expect(isUsed).toBe(false);
  });
});
