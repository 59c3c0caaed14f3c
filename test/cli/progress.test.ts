import { describe, expect, it } from "vitest";
import { createProgress } from "../../cli/progress.ts";

function target(tty: boolean) {
  const written: string[] = [];
  return { written, target: { write: (text: string) => written.push(text), tty, barWidth: 4 } };
}

describe("createProgress", () => {
  it("writes one plain line per step when standard error is not a terminal", () => {
    const { written, target: to } = target(false);
    const progress = createProgress(to);
    progress.start("scan", 2);
    progress.advance("111111111111");
    progress.note("222222222222: role missing");
    progress.advance("222222222222");
    progress.finish();

    expect(written.join("")).toBe(
      [
        "ecr-guard: scan: 2 to do",
        "ecr-guard: scan: 1/2 111111111111",
        "ecr-guard: 222222222222: role missing",
        "ecr-guard: scan: 2/2 222222222222",
        "",
      ].join("\n"),
    );
  });

  it("redraws one bar line in place on a terminal and keeps notes above it", () => {
    const { written, target: to } = target(true);
    const progress = createProgress(to);
    progress.start("scan", 2);
    progress.advance("a");
    progress.note("b failed");
    progress.advance("b");
    progress.finish();
    progress.finish();

    expect(written).toEqual([
      "\r\x1b[2Kscan [----] 0/2 ",
      "\r\x1b[2Kscan [##--] 1/2 a",
      "\r\x1b[2Kecr-guard: b failed\n",
      "\r\x1b[2Kscan [##--] 1/2 ",
      "\r\x1b[2Kscan [####] 2/2 b",
      "\n",
    ]);
    expect(written.join("")).not.toContain("\n\n");
  });

  it("never counts past the total", () => {
    const { written, target: to } = target(true);
    const progress = createProgress(to);
    progress.start("scan", 1);
    progress.advance("a");
    progress.advance("again");
    expect(written.at(-1)).toBe("\r\x1b[2Kscan [####] 1/1 again");
  });

  it("adds steps to the running task once they are known", () => {
    const { written, target: to } = target(true);
    const progress = createProgress(to);
    progress.start("snapshot", 1);
    progress.advance("account");
    progress.extend(3);
    progress.advance("eu-west-1");
    expect(written.slice(-2)).toEqual([
      "\r\x1b[2Ksnapshot [#---] 1/4 ",
      "\r\x1b[2Ksnapshot [##--] 2/4 eu-west-1",
    ]);
  });
});
