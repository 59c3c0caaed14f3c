import type { Command as Program } from "commander";
import { describe, expect, it } from "vitest";
import { defineProgram } from "../../cli/program.ts";
import { run } from "../../cli/run.ts";
import packageJson from "../../package.json" with { type: "json" };
import { memoryIo } from "../support/cli-io.ts";

function leaves(command: Program): Program[] {
  if (command.commands.length === 0) return [command];
  return command.commands.flatMap(leaves);
}

const LEAVES = leaves(defineProgram(() => undefined));

function pathOf(command: Program): string[] {
  return command.parent === null ? [] : [...pathOf(command.parent), command.name()];
}

describe("ecr-guard help", () => {
  it.each(LEAVES.map((command) => [pathOf(command).join(" "), command] as const))(
    "describes every option of %s in its --help",
    async (path, command) => {
      const { io, stdout } = memoryIo();
      expect(await run([...path.split(" "), "--help"], io)).toBe(0);
      const help = stdout();
      expect(help).toContain(`Usage: ecr-guard ${path} `);
      expect(command.options.length).toBeGreaterThan(0);
      for (const option of command.options) {
        expect(option.description, option.flags).not.toBe("");
        expect(help).toContain(option.flags);
      }
    },
  );

  it("answers help COMMAND with that command's help", async () => {
    const viaHelp = memoryIo();
    const viaFlag = memoryIo();
    expect(await run(["help", "check", "repository-policy"], viaHelp.io)).toBe(0);
    expect(await run(["check", "repository-policy", "--help"], viaFlag.io)).toBe(0);
    expect(viaHelp.stdout()).toBe(viaFlag.stdout());
    expect(viaHelp.stdout()).toContain("--fix");
  });

  it("lists the commands and exit codes with no arguments", async () => {
    const { io, stdout } = memoryIo();
    expect(await run([], io)).toBe(0);
    expect(stdout()).toMatch(/Commands:\n {2}check/);
    expect(stdout()).toContain(
      "Exit codes: 0 compliant, 1 findings, 2 bad input or usage, 3 internal error.",
    );
  });

  it("prints the package version for --version", async () => {
    const { io, stdout } = memoryIo();
    expect(await run(["--version"], io)).toBe(0);
    expect(stdout()).toBe(`${packageJson.version}\n`);
  });

  it("answers a usage error in two lines: the problem and where to read more", async () => {
    const { io, stdout, stderr } = memoryIo();
    expect(await run(["scan", "--snapshot", "s.json", "--fromat", "json"], io)).toBe(2);
    expect(stdout()).toBe("");
    expect(stderr()).toBe(
      "ecr-guard: unknown option '--fromat'\n(Did you mean --format?)\n" +
        'See "ecr-guard scan --help".\n',
    );
  });

  it("says an option of another command does not apply here", async () => {
    const { io, stderr } = memoryIo();
    expect(await run(["review", "--snapshot", "s.json", "--region", "eu-west-1"], io)).toBe(2);
    expect(stderr()).toBe(
      'ecr-guard: --region does not apply to review\nSee "ecr-guard review --help".\n',
    );
  });

  it("names the commands a group needs", async () => {
    const { io, stderr } = memoryIo();
    expect(await run(["export"], io)).toBe(2);
    expect(stderr()).toContain("export needs one of: security-hub");
  });
});
