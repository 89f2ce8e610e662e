import assert from "node:assert/strict";
import { Pool, type PoolOptions } from "./_pool.ts";
import { PIPELINE_HOLD_MS } from "./_protocol.ts";
import type { Sandbox } from "./_sandbox.ts";

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Stand-ins for Worker sandboxes: the pool only needs these members. */
function fakeSandboxes() {
  const spawned: Sandbox[] = [];
  const spawn = () => {
    const fake = {
      ready: Promise.resolve({}),
      job: null,
      queue: [],
      reserved: 0,
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

/**
 * Marks `s` as running a whole run (what the runner does when it posts one), started at
 * `since` (default: a run that never ages, so a slow test machine cannot change the outcome).
 */
function busy(s: Sandbox, since = Infinity): Sandbox {
  s.job = { kind: "run", run: {} as never, seq: 1 };
  s.jobSince = since;
  return s;
}

Deno.test("a busy sandbox takes a queued run only while runs are short and it has room", async () => {
  const { pool: p } = pool({ max: 1, pipelineDepth: 1, pipelineMaxMs: 1 });
  await p.warmUp();
  const s = busy(p.acquire() as Sandbox);
  const waiting = p.acquire(true);
  assert.ok(waiting instanceof Promise, "runs are not known to be short yet: the job waits");
  p.close();
  await assert.rejects(waiting);

  const short = pool({ max: 1, pipelineDepth: 1, pipelineMaxMs: 1 });
  await short.pool.warmUp();
  for (let i = 0; i < 20; i++) short.pool.noteRunMs(0.1);
  const home = busy(short.pool.acquire() as Sandbox);
  assert.equal(short.pool.acquire(true), home, "a short-run sandbox with room takes the run");
  assert.equal(home.reserved, 1);
  const full = short.pool.acquire(true);
  assert.ok(full instanceof Promise, "depth 1 is taken by the reservation");
  const exclusive = short.pool.acquire(false);
  assert.ok(exclusive instanceof Promise, "an exclusive job never queues");
  short.pool.close();
  await assert.rejects(Promise.resolve(full));
  await assert.rejects(exclusive);
  assert.notEqual(s, home);
});

Deno.test("short runs gather in the oldest busy sandbox with room before an idle one is woken", async () => {
  const { pool: p } = pool({ warm: 2, max: 2, pipelineDepth: 4, pipelineMaxMs: 1 });
  await p.warmUp();
  for (let i = 0; i < 40; i++) p.noteRunMs(0.05);
  const home = busy(p.acquire() as Sandbox);
  assert.equal(p.acquire(true), home, "queued behind the busy sandbox");
  assert.equal(p.acquire(true), home);
  const other = p.acquire(false);
  assert.ok(!(other instanceof Promise) && other !== home, "an exclusive job takes the idle one");
  p.close();
});

Deno.test("nothing queues behind a run going on for PIPELINE_HOLD_MS (it may wait on I/O)", async () => {
  const { pool: p } = pool({ warm: 2, max: 2, pipelineDepth: 4, pipelineMaxMs: 1 });
  await p.warmUp();
  for (let i = 0; i < 40; i++) p.noteRunMs(0.05);
  const slow = busy(p.acquire() as Sandbox, performance.now() - PIPELINE_HOLD_MS);
  const other = p.acquire(true);
  assert.ok(!(other instanceof Promise) && other !== slow, "the idle sandbox takes the run");
  busy(other, performance.now());
  assert.equal(p.acquire(true), other, "the fresh run's sandbox takes the next one");
  p.close();
});

Deno.test("the work queued in a busy sandbox stays under pipelineMaxMs, whatever the depth", async () => {
  const { pool: p } = pool({ max: 1, pipelineDepth: 16, pipelineMaxMs: 1 });
  await p.warmUp();
  for (let i = 0; i < 40; i++) p.noteRunMs(0.3);
  const home = busy(p.acquire() as Sandbox);
  for (let i = 0; i < 3; i++) assert.equal(p.acquire(true), home, `queued run ${i + 1}`);
  const fourth = p.acquire(true);
  assert.ok(fourth instanceof Promise, "a fourth run of 0.3 ms would queue 1.2 ms of work");
  assert.equal(home.reserved, 3);
  p.close();
  await assert.rejects(Promise.resolve(fourth));
});

Deno.test("long runs stop new runs from queueing in busy sandboxes", async () => {
  const { pool: p } = pool({ max: 1, pipelineDepth: 1, pipelineMaxMs: 1 });
  await p.warmUp();
  for (let i = 0; i < 20; i++) p.noteRunMs(0.1);
  for (let i = 0; i < 20; i++) p.noteRunMs(40);
  busy(p.acquire() as Sandbox);
  const waiting = p.acquire(true);
  assert.ok(waiting instanceof Promise);
  p.close();
  await assert.rejects(waiting);
});

Deno.test("a sandbox that moved on to a queued run gets another queued run from a waiter that allows it", async () => {
  const { pool: p } = pool({ max: 1, pipelineDepth: 1 });
  await p.warmUp();
  for (let i = 0; i < 20; i++) p.noteRunMs(0.1);
  const s = busy(p.acquire() as Sandbox);
  s.queue.push({ kind: "run", run: {} as never, seq: 2 });
  const exclusive = p.acquire(false);
  const queued = p.acquire(true);
  s.job = s.queue.shift()!; // the head finished, the queued run took its place
  p.release(s);
  assert.equal(await queued, s, "the pipelining waiter got the room");
  assert.equal(p.waiting, 1, "the exclusive waiter still waits for an idle sandbox");
  s.reserved = 0;
  s.job = null;
  p.release(s);
  assert.equal(await exclusive, s);
  p.close();
});

Deno.test("giveBack() frees a reservation, and a handed-back job waits ahead of the others", async () => {
  const { pool: p } = pool({ max: 1, pipelineDepth: 1 });
  await p.warmUp();
  for (let i = 0; i < 20; i++) p.noteRunMs(0.1);
  const s = busy(p.acquire() as Sandbox);
  assert.equal(p.acquire(true), s);
  p.giveBack(s);
  assert.equal(s.reserved, 0);
  assert.equal(p.acquire(true), s, "the room is free again");
  p.giveBack(s);
  const later = p.acquire(false);
  const first = p.acquire(false, true);
  s.job = null;
  p.release(s);
  assert.equal(await first, s);
  assert.equal(p.waiting, 1);
  p.close();
  await assert.rejects(Promise.resolve(later));
});
