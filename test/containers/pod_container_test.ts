import assert from "node:assert/strict";
import { containerTest } from "./docker_gate.ts";
import { ensureBaseImage } from "./base_image.ts";
import { freePort } from "./free_port.ts";
import { startPodContainer } from "./pod_container.ts";
import { runDocker } from "./_docker_cli.ts";

await containerTest(
  "startPodContainer() rejects with the exit code and log of a container that exits, and removes it",
  async () => {
    const image = await ensureBaseImage();
    const error = await startPodContainer({
      image,
      cmd: ["eval", "console.error('boom: no config'); Deno.exit(3)"],
      port: freePort(),
    }).then(() => undefined, (error: Error) => error);
    assert.ok(error instanceof Error, "startPodContainer() should have rejected");
    const exited = /container ([0-9a-f]{12}) exited \(status exited, exit code 3\)/.exec(
      error.message,
    );
    assert.ok(exited, error.message);
    assert.match(error.message, /boom: no config/);
    const inspect = await runDocker(["container", "inspect", exited[1]!]);
    assert.notEqual(inspect.code, 0, `container ${exited[1]} was left behind`);
    assert.match(inspect.stderr, /No such container/);
  },
);

await containerTest(
  "startPodContainer() gives up after readyTimeoutMs when health keeps answering 503",
  async () => {
    const image = await ensureBaseImage();
    const port = freePort();
    const server = `Deno.serve({ hostname: "127.0.0.1", port: ${port} }, ` +
      `() => new Response("warming up", { status: 503 }))`;
    const started = Date.now();
    const error = await startPodContainer({
      image,
      cmd: ["eval", server],
      port,
      readyTimeoutMs: 3_000,
    }).then(() => undefined, (error: Error) => error);
    assert.ok(error instanceof Error, "startPodContainer() should have rejected");
    assert.match(
      error.message,
      /did not answer 200 within 3000 ms; last attempt: HTTP 503 warming up/,
    );
    assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
  },
);

await containerTest(
  "startPodContainer() without sharedDir gives the pod a writable /shared of its own",
  async () => {
    const image = await ensureBaseImage();
    const port = freePort();
    const server = `Deno.writeTextFileSync("/shared/marker.txt", "pod-local");
      Deno.serve({ hostname: "127.0.0.1", port: ${port} }, () => new Response("ok"))`;
    await using pod = await startPodContainer({ image, cmd: ["eval", server], port });
    const read = await pod.exec([
      "deno",
      "eval",
      `console.log(Deno.readTextFileSync("/shared/marker.txt"))`,
    ]);
    assert.equal(read.stdout.trim(), "pod-local", read.stderr);
  },
);
