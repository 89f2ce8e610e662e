import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { codeConfigMap, configMapKey } from "./config_map.ts";

Deno.test("configMapKey() flattens paths into valid keys and avoids the reserved ones", () => {
  equal(configMapKey("nodes/fetch-video.ts"), "nodes_fetch-video.ts");
  equal(configMapKey("a b/ü.ts"), "a_b__.ts");
  equal(configMapKey("..hidden.ts"), "_..hidden.ts");
  const long = configMapKey(`${"d/".repeat(150)}x.ts`);
  equal(long.length, 253);
  ok(/^[-._a-zA-Z0-9]+$/.test(long));
});

Deno.test("codeConfigMap() gives colliding paths distinct keys, each mapped back to its path", () => {
  const files = [
    { path: "a/b.ts", text: "1" },
    { path: "a_b.ts", text: "2" },
    { path: "workflow.yaml", text: "name: x" },
  ];
  const { configMap, volume } = codeConfigMap("x-code", { namespace: "ns" }, files);
  const items = volume.configMap!.items!;
  deepStrictEqual(items.map((i) => i.path), ["a/b.ts", "a_b.ts", "workflow.yaml"]);
  equal(new Set(items.map((i) => i.key)).size, 3);
  for (const item of items) {
    equal(configMap.data![item.key], files.find((f) => f.path === item.path)!.text);
  }
  deepStrictEqual(configMap.metadata, { namespace: "ns", name: "x-code" });
});

Deno.test("codeConfigMap() hashes paths and contents: same code, same hash; any change, new hash", () => {
  const hash = (files: { path: string; text: string }[]) =>
    codeConfigMap("c", { namespace: "n" }, files).sha256;
  const base = [{ path: "a.ts", text: "x" }, { path: "b.ts", text: "y" }];
  equal(hash(base), hash([...base].reverse()));
  ok(hash(base) !== hash([{ path: "a.ts", text: "x" }, { path: "c.ts", text: "y" }]));
  ok(hash(base) !== hash([{ path: "a.ts", text: "xy" }, { path: "b.ts", text: "" }]));
});
