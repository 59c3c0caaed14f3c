import { spawn } from "node:child_process";
import { openSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { run } from "../../cli/run.ts";
import { memoryIo } from "../support/cli-io.ts";

const SCAN = [
  "scan",
  "--snapshot",
  "samples/sample-account.json",
  "--config",
  "samples/ecr-guard.config.yaml",
];

/** Runs cli/main.ts (through tsx) in a child process; `stdout` chooses where its output goes. */
function runBin(
  argv: readonly string[],
  stdout: "pipe-closed" | "ignore" | number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "cli/main.ts", ...argv], {
    stdio: ["ignore", stdout === "pipe-closed" ? "pipe" : stdout, "pipe"],
    env,
  });
  // Closing our end before the child writes makes its first write fail with EPIPE.
  if (stdout === "pipe-closed") child.stdout?.destroy();
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stderr })));
}

describe.concurrent("exit codes", () => {
  it("exits 3 with one line, and no stack trace, when something fails that should not", async () => {
    const { io, stdout, stderr } = memoryIo();
    const broken = {
      ...io,
      now: () => {
        throw new TypeError("clock unavailable\n    at now (clock.ts:1:1)");
      },
    };

    expect(await run(SCAN, broken)).toBe(3);

    expect(stdout()).toBe("");
    expect(stderr()).toBe(
      "ecr-guard: internal error (please report it): TypeError: clock unavailable at now (clock.ts:1:1)\n",
    );
  });

  it("exits 2 naming the cause when standard output is full (ENOSPC)", async () => {
    const result = await runBin(SCAN, openSync("/dev/full", "w"));

    expect(result).toEqual({
      code: 2,
      stderr: "ecr-guard: cannot write standard output (ENOSPC): the output is incomplete\n",
    });
  });

  it("exits 2 naming the cause when standard output is closed (EPIPE)", async () => {
    const result = await runBin(SCAN, "pipe-closed");

    expect(result).toEqual({
      code: 2,
      stderr: "ecr-guard: cannot write standard output (EPIPE): the output is incomplete\n",
    });
  });

  it("exits 2 with one line when export security-hub finds no credentials", async () => {
    const home = "/nonexistent/ecr-guard-test";
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      AWS_CONFIG_FILE: `${home}/config`,
      AWS_SHARED_CREDENTIALS_FILE: `${home}/credentials`,
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_REGION: "eu-west-1",
      NODE_NO_WARNINGS: "1",
    };

    const result = await runBin(
      ["export", "security-hub", "--snapshot", "samples/sample-account.json"],
      "ignore",
      env,
    );

    expect(result).toEqual({
      code: 2,
      stderr:
        "ecr-guard: Security Hub GetFindings failed for region eu-west-1: CredentialsProviderError (Could not load credentials from any providers)\n",
    });
  });
});
