import type { EngineLayout } from "../flags/derive.ts";

/**
 * The engine layout the benches use: the workflow's own directory as the app, everything else
 * under `temp` (`tmpDir` is `temp` itself unless `tmpSub` names a subdirectory).
 */
export function benchLayout(appDir: string, temp: string, tmpSub?: string): EngineLayout {
  return {
    appDir,
    secretsDir: `${temp}/secrets`,
    sharedDir: `${temp}/shared`,
    tmpDir: tmpSub === undefined ? temp : `${temp}/${tmpSub}`,
    listen: "127.0.0.1:0",
  };
}
