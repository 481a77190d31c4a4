import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";

// The processes the harness starts: each leads its own process group, so stopping it stops what it started; every
// one is stopped on teardown, on Ctrl-C and, as a last resort, when this process exits.

/** How long a stopped process gets to exit before its group is killed. */
const STOP_GRACE_MS = 10_000;
/** Output kept in memory per process, for readiness checks and failure reports (the rest is in its log file). */
const KEEP_CHARS = 64_000;

export interface Started {
  name: string;
  child: ChildProcess;
  /** The latest output (stdout and stderr), for matching a ready line. */
  output(): string;
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<number | string>;
}

const running = new Set<Started>();

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export interface StartOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Where all of its output goes. */
  log: string;
}

/** Starts `command` in its own process group; its output goes to `log` and is kept for `waitForOutput`. */
export function start(name: string, command: string, args: string[], { cwd, env, log }: StartOptions): Started {
  const file = fs.createWriteStream(log);
  // No colours: logs and failure reports are read as plain text.
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env, FORCE_COLOR: "0", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    file.write(chunk);
    output = (output + chunk.toString()).slice(-KEEP_CHARS);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => {
      file.end();
      resolve(code ?? signal ?? "unknown");
    }),
  );
  const started: Started = { name, child, output: () => output, exited };
  running.add(started);
  void exited.then(() => running.delete(started));
  return started;
}

/** The end of a process's output, without terminal colour codes (some tools colour even when told not to). */
function lastLines(text: string, lines = 25): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, "").trimEnd().split("\n").slice(-lines).join("\n");
}

/** Resolves once `ready` holds (checked on every output and every 250 ms); rejects if the process ends first. */
export async function waitUntil(started: Started, ready: () => boolean | Promise<boolean>, what: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let ended: number | string | undefined;
  void started.exited.then((status) => (ended = status));
  for (;;) {
    if (await ready()) return;
    if (ended !== undefined) {
      throw new Error(`${started.name} exited (${ended}) before ${what}.\n--- last output ---\n${lastLines(started.output())}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`${started.name}: no ${what} within ${timeoutMs / 1000} s.\n--- last output ---\n${lastLines(started.output())}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Runs a one-shot command to completion; rejects with its last output when it fails. */
export async function run(name: string, command: string, args: string[], options: StartOptions): Promise<void> {
  const started = start(name, command, args, options);
  const status = await started.exited;
  if (status !== 0) throw new Error(`${name} failed (${status}).\n--- last output ---\n${lastLines(started.output(), 40)}`);
}

/** Every process descending from `pid`, from `ps`. */
function descendants(pid: number): number[] {
  const table = execFileSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/).map(Number));
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [child, ppid] of table) {
      if (ppid === parent) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

function kill(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Stops a process and everything under it: `signal` to its group (SIGINT for a script that stops its own children,
 * as `npm start` does on Ctrl-C), then, after the grace period, SIGKILL to the group and to every descendant
 * seen before (a child that made a group of its own included).
 */
export async function stop(started: Started, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  const pid = started.child.pid;
  if (pid === undefined || started.child.exitCode !== null || started.child.signalCode !== null) return;
  const tree = descendants(pid);
  kill(-pid, signal);
  const exited = await Promise.race([
    started.exited.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), STOP_GRACE_MS)),
  ]);
  if (!exited) kill(-pid, "SIGKILL");
  // Whatever the process left behind (its own groups) goes too.
  const alive = tree.filter((child) => {
    try {
      process.kill(child, 0);
      return true;
    } catch {
      return false;
    }
  });
  for (const child of alive) kill(child, "SIGKILL");
}

/** Stops every process still running, newest first. */
export async function stopAll(): Promise<void> {
  for (const started of [...running].reverse()) await stop(started, started.name === "npm start" ? "SIGINT" : "SIGTERM");
}

// A crash of the harness must not leave servers behind (synchronous: nothing asynchronous runs on exit).
process.on("exit", () => {
  for (const started of running) {
    const pid = started.child.pid;
    if (pid === undefined) continue;
    const tree = descendants(pid);
    kill(-pid, "SIGKILL");
    for (const child of tree) kill(child, "SIGKILL");
  }
});
