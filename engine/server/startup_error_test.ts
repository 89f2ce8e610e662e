import assert from "node:assert/strict";
import { NodeLoadError } from "../run/node_load_error.ts";
import { describeStartupError } from "./startup_error.ts";

Deno.test("describeStartupError keeps each node's load problem whole, source excerpt included", () => {
  const excerpt =
    "node \"b\": cannot load file:///app/b.ts: SyntaxError: Expected ',', got '<eof>'\n" +
    "  |\n1 | export default function run( { oops\n  |   ~";
  const fields = describeStartupError(
    new NodeLoadError({ b: excerpt, a: 'node "a": cannot load file:///app/a.ts: NotFound' }),
  );
  assert.equal(fields.error, "NodeLoadError");
  assert.equal(fields.message, "2 node modules could not be loaded:");
  assert.deepEqual(fields.problems, ['node "a": cannot load file:///app/a.ts: NotFound', excerpt]);
  assert.equal(fields.stack, undefined);
});

Deno.test("describeStartupError names the address that is taken and what to do", () => {
  const fields = describeStartupError(
    new Deno.errors.AddrInUse("Address already in use (os error 98)"),
    "127.0.0.1:8080",
  );
  assert.deepEqual(fields, {
    error: "AddrInUse",
    message: "cannot listen on 127.0.0.1:8080: Address already in use (os error 98)",
    problems: [
      "another process holds this address; stop it, or pick another port (tntc dev --port N, " +
      "engine --listen host:port)",
    ],
  });
});

Deno.test("describeStartupError keeps the stack of an unexpected error only", () => {
  const fields = describeStartupError(new RangeError("boom"));
  assert.equal(fields.message, "boom");
  assert.match(fields.stack ?? "", /RangeError: boom/);
});
