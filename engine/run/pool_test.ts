import assert from "node:assert/strict";
import { Pool, type PoolOptions } from "./_pool.ts";
import type { Sandbox } from "./_sandbox.ts";

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Stand-ins for Worker sandboxes: the pool only needs these members. */
function fakeSandboxes() {
  const spawned: Sandbox[] = [];
  const spawn = () => {
    const fake = {
      ready: Promise.resolve({}),
      job: null,
      dead: false,
      idleSince: Date.now(),
      terminate() {
        fake.dead = true;
      },
    };
    spawned.push(fake as unknown as Sandbox);
    return fake as unknown as Sandbox;
  };
  return { spawned, spawn };
}

function pool(options: Partial<PoolOptions>) {
  const fakes = fakeSandboxes();
  const opts = { warm: 1, max: 4, spawnDelayMs: 20, fastGrowth: 1, idleMs: 60_000, ...options };
  return { pool: new Pool(fakes.spawn, opts), ...fakes };
}

Deno.test("a pool whose sandboxes are all held by long jobs grows to its maximum", async () => {
  const { pool: p, spawned } = pool({ max: 3 });
  await p.warmUp();
  const held = [p.acquire(), p.acquire(), p.acquire(), p.acquire()];
  await wait(150);
  assert.equal(spawned.length, 3);
  assert.equal(p.waiting, 1, "the fourth job waits: the pool is at its maximum");
  const got = await Promise.all(held.slice(0, 3));
  assert.deepEqual(new Set(got).size, 3);
  p.close();
  await assert.rejects(Promise.resolve(held[3]!), { message: "the runner is closed" });
});

Deno.test("a pool whose sandboxes keep coming free serves a queue without growing past fastGrowth", async () => {
  for (const fastGrowth of [1, 2]) {
    const { pool: p, spawned } = pool({ fastGrowth, max: 8, spawnDelayMs: 80 });
    await p.warmUp();
    let stop = false;
    // Four workers of short jobs: at most `size` run at once, the rest queue, and some
    // sandbox comes free every few ms.
    const loops = [1, 2, 3, 4].map(async () => {
      while (!stop) {
        const acquired = p.acquire();
        const sandbox = acquired instanceof Promise ? await acquired : acquired;
        await wait(3);
        p.release(sandbox);
      }
    });
    await wait(300);
    stop = true;
    await Promise.all(loops);
    assert.equal(spawned.length, fastGrowth, `fastGrowth ${fastGrowth}`);
    p.close();
  }
});

Deno.test("release() hands a sandbox to the oldest waiter, and discard() keeps the warm count", async () => {
  const { pool: p, spawned } = pool({ warm: 1, max: 1 });
  await p.warmUp();
  const first = p.acquire() as Sandbox;
  const second = p.acquire();
  const third = p.acquire();
  p.release(first);
  assert.equal(await second, first);
  p.discard(first);
  assert.equal(first.dead, true);
  assert.equal(spawned.length, 2, "a replacement was spawned");
  assert.equal(await third, spawned[1]);
  p.close();
});
