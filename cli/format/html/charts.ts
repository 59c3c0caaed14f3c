/**
 * Inline SVG bar charts for the HTML report: no script, no external asset, readable without
 * colour (each bar carries its label and count as text).
 */
import { escapeHtml } from "./escape.ts";

/** One bar: a label, its count, and the CSS colour of the bar. */
export interface Bar {
  readonly label: string;
  readonly count: number;
  readonly colour: string;
}

const ROW = 26;
const LABEL_WIDTH = 190;
const BAR_WIDTH = 260;
const COUNT_WIDTH = 50;

/**
 * A horizontal bar chart titled `title`, bars scaled to the largest count; a chart with no bar
 * says so in words rather than drawing an empty frame.
 */
export function barChart(title: string, bars: readonly Bar[]): string {
  if (bars.length === 0)
    return `<figure class="chart"><figcaption>${escapeHtml(title)}</figcaption><p>None.</p></figure>`;
  const max = Math.max(1, ...bars.map((bar) => bar.count));
  const width = LABEL_WIDTH + BAR_WIDTH + COUNT_WIDTH;
  const height = bars.length * ROW;
  const rows = bars.map((bar, index) => {
    const y = index * ROW;
    const length = Math.max(2, Math.round((bar.count / max) * BAR_WIDTH));
    return [
      `<text x="${LABEL_WIDTH - 8}" y="${y + 17}" text-anchor="end">${escapeHtml(shorten(bar.label))}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y + 5}" width="${length}" height="${ROW - 10}" rx="3" fill="${bar.colour}"><title>${escapeHtml(`${bar.label}: ${bar.count}`)}</title></rect>`,
      `<text x="${LABEL_WIDTH + length + 6}" y="${y + 17}">${bar.count}</text>`,
    ].join("");
  });
  return [
    `<figure class="chart"><figcaption>${escapeHtml(title)}</figcaption>`,
    `<svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">`,
    ...rows,
    "</svg></figure>",
  ].join("");
}

/** Labels longer than the label column are cut; the bar's tooltip keeps the whole label. */
function shorten(label: string): string {
  return label.length <= 28 ? label : `${label.slice(0, 27)}…`;
}
