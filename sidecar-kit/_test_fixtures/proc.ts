/**
 * /proc helpers for tests: which processes are still in a process group.
 * @module
 */

/** Pids (not zombies) whose process group is `pgid`. */
export function processesInGroup(pgid: number): number[] {
  const found: number[] = [];
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    let stat: string;
    try {
      stat = Deno.readTextFileSync(`/proc/${e.name}/stat`);
    } catch {
      continue; // exited meanwhile
    }
    // Fields after "(comm)": state ppid pgrp ...
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(rest[2]) === pgid && rest[0] !== "Z") found.push(Number(e.name));
  }
  return found;
}

/** Waits up to `ms` for the group to be empty; returns what is left. */
export async function waitGroupGone(pgid: number, ms = 3000): Promise<number[]> {
  const end = Date.now() + ms;
  let left = processesInGroup(pgid);
  while (left.length > 0 && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    left = processesInGroup(pgid);
  }
  return left;
}

/** Reads "<leader pid> <last child pid>" written by fork_children.sh. */
export async function readPids(file: string): Promise<number[]> {
  for (let i = 0; i < 100; i++) {
    try {
      const text = (await Deno.readTextFile(file)).trim();
      if (text) return text.split(" ").map(Number);
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no pid file ${file}`);
}
