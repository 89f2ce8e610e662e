// A minimal engine process for real-permission tests: loads the workflow in Deno.args[0] with
// the layout JSON in Deno.args[1], then runs it once per remaining argument (JSON input) in the
// same process, printing each RunResult as one JSON line. Logs go to stderr.
import { createRunner } from "../mod.ts";
import { formatRecord } from "../_log.ts";
import { loadWorkflow } from "../../spec/load.ts";

const encoder = new TextEncoder();
const [dir, layoutJson, ...inputs] = Deno.args;
const runner = await createRunner(await loadWorkflow(dir!), {
  layout: JSON.parse(layoutJson!),
  log: (record) => Deno.stderr.writeSync(encoder.encode(formatRecord(record) + "\n")),
});
for (const input of inputs) {
  const result = await runner.run(JSON.parse(input));
  Deno.stdout.writeSync(encoder.encode(JSON.stringify(result) + "\n"));
}
await runner.close();
