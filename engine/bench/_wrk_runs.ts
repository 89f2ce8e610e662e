// `wrk` (a native HTTP load generator) posting distinct runs of the chain3 workflow, and
// checking every answer in Lua: status 200 and `double.n == (start.n + 1) * 2`. A native
// client leaves the two cores of the bench machine to the engine; the JS generator in
// `_http_load.ts` is the fallback when wrk is not installed.

const SCRIPT = `
-- globals, not locals: done() reads them from each thread with thread:get()
n = 0
bad = 0
first_bad = ""
request = function()
  n = n + 1
  return wrk.format("POST", "/run", { ["Content-Type"] = "application/json" },
    '{"n":' .. n .. '}')
end
response = function(status, headers, body)
  local s = tonumber(string.match(body, '"start":{"n":(%d+)}'))
  local d = tonumber(string.match(body, '"double":{"n":(%d+)}'))
  if status ~= 200 or s == nil or d ~= (s + 1) * 2 then
    bad = bad + 1
    if first_bad == "" then first_bad = status .. " " .. body end
  end
end
local threads = {}
setup = function(thread) table.insert(threads, thread) end
done = function()
  for _, t in ipairs(threads) do
    io.write("BAD " .. t:get("bad") .. " " .. t:get("first_bad") .. "\\n")
  end
end
`;

/** Whether `wrk` can be started. */
export async function hasWrk(): Promise<boolean> {
  try {
    await new Deno.Command("wrk", { args: ["--version"], stdout: "null", stderr: "null" }).output();
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `wrk` against `POST <base>/run` for `seconds` with `connections` connections (one
 * request in flight each) and returns runs/s; throws when any answer was wrong.
 */
export async function wrkRuns(base: string, seconds: number, connections: number): Promise<number> {
  const script = await Deno.makeTempFile({ suffix: ".lua" });
  try {
    await Deno.writeTextFile(script, SCRIPT);
    const out = await new Deno.Command("wrk", {
      args: ["-t1", `-c${connections}`, `-d${seconds}s`, "--timeout", "5s", "-s", script, base],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    const rate = /Requests\/sec:\s+([\d.]+)/.exec(text)?.[1];
    const bad = /BAD (\d+) ?(.*)/.exec(text);
    if (out.code !== 0 || rate === undefined || bad === null) {
      throw new Error(`wrk failed (${out.code}): ${text}${new TextDecoder().decode(out.stderr)}`);
    }
    if (bad[1] !== "0") throw new Error(`${bad[1]} wrong answers, the first: ${bad[2]}`);
    return Number(rate);
  } finally {
    await Deno.remove(script);
  }
}
