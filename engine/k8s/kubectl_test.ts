import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { kubectlApply, type ProcessResult, type ProcessRunner, runProcess } from "./kubectl.ts";

interface Call {
  cmd: string;
  args: string[];
  stdin: string | undefined;
}

function fakeKubectl(
  answers: (args: string[]) => ProcessResult,
): { run: ProcessRunner; calls: Call[] } {
  const calls: Call[] = [];
  const run: ProcessRunner = (cmd, args, stdin) => {
    calls.push({ cmd, args, stdin });
    return Promise.resolve(answers(args));
  };
  return { run, calls };
}

const ok0 = (stdout = ""): ProcessResult => ({ code: 0, stdout, stderr: "" });

Deno.test("kubectlApply() applies in the current context, passing the manifests on stdin", async () => {
  const { run, calls } = fakeKubectl((args) =>
    args[0] === "config" ? ok0("kind-dev\n") : ok0("deployment.apps/x created\n")
  );
  const outcome = await kubectlApply("kind: List\n", { runner: run });
  deepStrictEqual(outcome, {
    ok: true,
    context: "kind-dev",
    output: "deployment.apps/x created\n",
  });
  deepStrictEqual(calls, [
    { cmd: "kubectl", args: ["config", "current-context"], stdin: undefined },
    { cmd: "kubectl", args: ["apply", "--context", "kind-dev", "-f", "-"], stdin: "kind: List\n" },
  ]);
});

Deno.test("kubectlApply() reports a missing kubectl without running anything else", async () => {
  const calls: string[][] = [];
  const outcome = await kubectlApply("x", {
    runner: (_cmd, args) => {
      calls.push(args);
      return Promise.reject(new Deno.errors.NotFound("No such file or directory"));
    },
  });
  equal(outcome.ok, false);
  ok(!outcome.ok && outcome.reason === "no-kubectl");
  ok(!outcome.ok && outcome.message.startsWith("kubectl not found on PATH"));
  equal(calls.length, 1);
});

Deno.test("kubectlApply() reports a missing context with kubectl's reason and applies nothing", async () => {
  const { run, calls } = fakeKubectl(() => ({
    code: 1,
    stdout: "",
    stderr: "error: current-context is not set\n",
  }));
  const outcome = await kubectlApply("x", { runner: run });
  ok(!outcome.ok && outcome.reason === "no-context");
  ok(!outcome.ok && outcome.message.includes("(kubectl: error: current-context is not set)"));
  equal(calls.length, 1);
});

Deno.test("kubectlApply() checks an explicit --context exists and applies in it", async () => {
  const { run, calls } = fakeKubectl((args) =>
    args[2] === "prod" || args[0] === "apply"
      ? ok0("prod\n")
      : { code: 1, stdout: "", stderr: 'error: context "nope" not found\n' }
  );
  ok((await kubectlApply("x", { runner: run, context: "prod" })).ok);
  deepStrictEqual(calls[0]!.args, ["config", "get-contexts", "prod", "-o", "name"]);
  deepStrictEqual(calls[1]!.args, ["apply", "--context", "prod", "-f", "-"]);
  const missing = await kubectlApply("x", { runner: run, context: "nope" });
  ok(!missing.ok && missing.message.startsWith('context "nope" is not in your kubeconfig'));
});

Deno.test("kubectlApply() turns a failed apply into an outcome carrying kubectl's error", async () => {
  const { run } = fakeKubectl((args) =>
    args[0] === "config"
      ? ok0("kind-dev")
      : { code: 1, stdout: "", stderr: "error: unable to recognize: no matches for kind\n" }
  );
  const outcome = await kubectlApply("x", { runner: run });
  ok(!outcome.ok && outcome.reason === "apply-failed");
  ok(!outcome.ok && outcome.message.endsWith("error: unable to recognize: no matches for kind"));
});

Deno.test("runProcess() feeds stdin to a real process and collects its output and exit code", async () => {
  const result = await runProcess(Deno.execPath(), [
    "eval",
    "const t = await new Response(Deno.stdin.readable).text(); console.log(t.toUpperCase()); Deno.exit(3);",
  ], "hello");
  deepStrictEqual(result, { code: 3, stdout: "HELLO\n", stderr: "" });
});

Deno.test("runProcess() throws NotFound for a program that is not there", async () => {
  let caught: unknown;
  try {
    await runProcess("/nonexistent/kubectl", ["version"]);
  } catch (err) {
    caught = err;
  }
  ok(caught instanceof Deno.errors.NotFound);
});
