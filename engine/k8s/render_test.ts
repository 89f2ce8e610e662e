import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { parse, parseAllDocuments } from "yaml";
import { renderManifests } from "./render.ts";

// Strings YAML 1.1 (kubectl's parser) or YAML 1.2 would read as something else if unquoted.
const TRICKY = [
  "yes",
  "no",
  "on",
  "off",
  "y",
  "N",
  "true",
  "False",
  "~",
  "null",
  "",
  "1",
  "0777",
  "0o17",
  "0x1F",
  "1_000",
  "1e3",
  ".inf",
  "-.Inf",
  ".NaN",
  "12:30",
  "2024-01-01",
  "- a",
  "a: b",
  "#x",
  "'q'",
  '"d"',
  " lead",
  "trail ",
  "multi\nline\n",
  "@at",
  "`bt",
  "%p",
  "!bang",
  "&amp",
  "*star",
  "|pipe",
  ">gt",
  "3.14",
  "+1",
  "=",
  "<<",
];

Deno.test("renderManifests() keeps every env value a string under YAML 1.1 and 1.2", () => {
  const env = TRICKY.map((value, i) => ({ name: `V${i}`, value }));
  const text = renderManifests([{ kind: "Pod", spec: { containers: [{ name: "c", env }] } }]);
  for (const version of ["1.1", "1.2"] as const) {
    const back = parse(text, { version });
    deepStrictEqual(back.spec.containers[0].env, env, `YAML ${version}`);
  }
  ok(text.includes('value: "yes"') && text.includes('value: "0777"') && text.includes('"0o17"'));
});

Deno.test("renderManifests() keeps keys that look like booleans as string keys", () => {
  const text = renderManifests([{ data: { ON: "x", yes: "y", "1": "z" } }]);
  for (const version of ["1.1", "1.2"] as const) {
    deepStrictEqual(parse(text, { version }).data, { ON: "x", yes: "y", "1": "z" });
  }
});

Deno.test("renderManifests() writes one YAML document per object, code as a block, no aliases", () => {
  const shared = { drop: ["ALL"] };
  const code = "export default function run() {\n  return 1;\n}\n";
  const text = renderManifests([{ kind: "A", a: shared, b: shared }, {
    kind: "B",
    data: { code },
  }]);
  const docs = parseAllDocuments(text).map((d) => d.toJS());
  equal(docs.length, 2);
  equal(docs[1].data.code, code);
  ok(text.includes("code: |\n"));
  ok(!text.includes("&") && !text.includes("*"), "no anchors or aliases");
  ok(!text.includes("\n  ...\n"));
});

Deno.test("renderManifests() with json writes a v1 List that parses back to the objects", () => {
  const objects = [{ kind: "ConfigMap", data: { a: "yes" } }, { kind: "Service" }];
  deepStrictEqual(JSON.parse(renderManifests(objects, "json")), {
    apiVersion: "v1",
    kind: "List",
    items: objects,
  });
});
