// Draws a lab result: a timeline (SVG), the summary numbers and a text transcript.
// Kinds of time are told apart by fill pattern and legend text, not by colour alone.
import { html } from "./dom.js";
import { pageLanguage } from "./lang.js";
import { labSchema, labStrings, localized } from "./lab-strings.js";

const SVG = "http://www.w3.org/2000/svg";
const KINDS = labSchema.segment_kinds.map((kind) => kind.name);
const KIND_LABELS = new Map(labSchema.segment_kinds.map((kind) => [kind.name, kind.label]));
const FAILURE_LABELS = new Map(labSchema.failures.map((failure) => [failure.name, failure.label]));
const FAILED_LABEL = labSchema.metrics.find((metric) => metric.name === "failed").label;
const MAX_ROWS = 40;
const MAX_SEGMENTS = 4000;
const BINS = 120;
const WIDTH = 640;
const LABEL = 70;
const ROW = 14;
let chartCount = 0;

function svgElement(tag, attributes = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  return node;
}

function patterns(prefix) {
  const defs = svgElement("defs");
  const hatch = svgElement("pattern", { id: `${prefix}-hatch`, width: 4, height: 4, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" });
  hatch.append(svgElement("rect", { width: 4, height: 4, fill: "var(--md-default-bg-color)" }));
  hatch.append(svgElement("line", { x1: 0, y1: 0, x2: 0, y2: 4, stroke: "var(--md-default-fg-color--light)", "stroke-width": 1.5 }));
  // Blocked reads dark and crossed, I/O light and dotted: apart in grey too, not by hue alone.
  const cross = svgElement("pattern", { id: `${prefix}-cross`, width: 4, height: 4, patternUnits: "userSpaceOnUse" });
  cross.append(svgElement("rect", { width: 4, height: 4, fill: "var(--runnable-error-color)" }));
  cross.append(svgElement("path", { d: "M0 0L4 4M4 0L0 4", stroke: "var(--md-default-bg-color)", "stroke-width": 0.8 }));
  const dots = svgElement("pattern", { id: `${prefix}-dots`, width: 5, height: 5, patternUnits: "userSpaceOnUse" });
  dots.append(svgElement("rect", { width: 5, height: 5, fill: "var(--md-default-bg-color)" }));
  dots.append(svgElement("rect", { width: 5, height: 5, fill: "var(--md-accent-fg-color)", opacity: 0.15 }));
  dots.append(svgElement("circle", { cx: 2.5, cy: 2.5, r: 1.3, fill: "var(--md-accent-fg-color)" }));
  // Waiting for a database connection: horizontal stripes, unlike the diagonal queue hatch.
  const stripes = svgElement("pattern", { id: `${prefix}-stripes`, width: 4, height: 4, patternUnits: "userSpaceOnUse" });
  stripes.append(svgElement("rect", { width: 4, height: 4, fill: "var(--md-default-bg-color)" }));
  stripes.append(svgElement("rect", { width: 4, height: 2, fill: "var(--md-primary-fg-color)" }));
  defs.append(hatch, cross, dots, stripes);
  return defs;
}

function fill(kind, prefix) {
  return {
    queued: `url(#${prefix}-hatch)`,
    cpu: "var(--md-primary-fg-color)",
    io: `url(#${prefix}-dots)`,
    blocked: `url(#${prefix}-cross)`,
    db_wait: `url(#${prefix}-stripes)`,
  }[kind];
}

/** What a failed request's marks say: the failure's label in the page's language. */
function failureText(error) {
  return localized(FAILURE_LABELS.get(error));
}

/** `node` with a tooltip `text`, which assistive technology reads as its name too. */
function titled(node, text) {
  const title = svgElement("title");
  title.textContent = text;
  node.append(title);
  return node;
}

/** A failed request's end: a cross in the error colour, by shape as well as by colour. */
function failureMark(x, y) {
  const d = `M${x - 3} ${y - 3}L${x + 3} ${y + 3}M${x + 3} ${y - 3}L${x - 3} ${y + 3}`;
  return svgElement("path", { class: "lab-failure", d, stroke: "var(--runnable-error-color)", "stroke-width": 2 });
}

/** A failed request's span (or the legend's swatch): a dashed outline in the error colour. */
function failureOutline(x, y, width, height) {
  const outline = { class: "lab-failed", x, y, width, height, fill: "none", stroke: "var(--runnable-error-color)" };
  return svgElement("rect", { ...outline, "stroke-width": 1.2, "stroke-dasharray": "3 2" });
}

/** Rows of the detailed chart: each lane, split into sub-rows of non-overlapping requests. */
function detailedRows(data) {
  const byLane = new Map(data.lanes.map((lane) => [lane, []]));
  for (const request of data.requests) {
    if (!byLane.has(request.lane)) byLane.set(request.lane, []);
    byLane.get(request.lane).push(request);
  }
  const rows = [];
  for (const [lane, requests] of byLane) {
    const subRows = [];
    for (const request of [...requests].sort((a, b) => a.arrival_ms - b.arrival_ms)) {
      let row = subRows.find((r) => r.end <= request.arrival_ms);
      if (!row) subRows.push((row = { label: subRows.length ? "" : lane, end: 0, requests: [] }));
      row.end = request.end_ms;
      row.requests.push(request);
    }
    rows.push(...subRows);
  }
  return rows;
}

/** Rows of the aggregated chart: time in bins, share of each kind per lane or process,
 * and per bin how many requests failed there, by failure. */
function aggregatedRows(data, makespan) {
  const group = data.lanes.length > MAX_ROWS ? (lane) => lane.split("/")[0] : (lane) => lane;
  const rows = new Map();
  for (const request of data.requests) {
    const key = group(request.lane);
    if (!rows.has(key)) rows.set(key, { label: key, bins: Array.from({ length: BINS }, () => Object.fromEntries(KINDS.map((k) => [k, 0]))), failures: new Map() });
    const { bins, failures } = rows.get(key);
    if (request.error) {
      const bin = Math.min(BINS - 1, Math.floor((request.end_ms / makespan) * BINS));
      if (!failures.has(bin)) failures.set(bin, new Map());
      failures.get(bin).set(request.error, (failures.get(bin).get(request.error) ?? 0) + 1);
    }
    for (const [kind, start, end] of request.segments) {
      const first = Math.min(BINS - 1, Math.floor((start / makespan) * BINS));
      const last = Math.min(BINS - 1, Math.floor((end / makespan) * BINS));
      for (let bin = first; bin <= last; bin++) {
        const binStart = (bin * makespan) / BINS;
        const binEnd = ((bin + 1) * makespan) / BINS;
        bins[bin][kind] += Math.max(0, Math.min(end, binEnd) - Math.max(start, binStart));
      }
    }
  }
  return [...rows.values()];
}

function axis(svg, makespan, height, t) {
  const ticks = 5;
  for (let i = 0; i <= ticks; i++) {
    const x = LABEL + ((WIDTH - LABEL - 10) * i) / ticks;
    svg.append(svgElement("line", { x1: x, y1: 0, x2: x, y2: height, stroke: "var(--md-default-fg-color--lightest)" }));
    const label = svgElement("text", { x, y: height + 12, "text-anchor": "middle" });
    label.textContent = `${Math.round((makespan * i) / ticks)}`;
    svg.append(label);
  }
  const caption = svgElement("text", { x: WIDTH - 10, y: height + 24, "text-anchor": "end" });
  caption.textContent = t.time;
  svg.append(caption);
}

function chart(data, t, summaryText) {
  const prefix = `lab${++chartCount}`;
  const makespan = Math.max(data.makespan_ms, 1);
  const segments = data.requests.reduce((sum, r) => sum + r.segments.length, 0);
  let rows = detailedRows(data);
  const aggregated = rows.length > MAX_ROWS || segments > MAX_SEGMENTS;
  if (aggregated) rows = aggregatedRows(data, makespan);
  const height = rows.length * ROW;
  const svg = svgElement("svg", { viewBox: `0 0 ${WIDTH} ${height + 28}`, role: "img", "aria-label": t.chartLabel(summaryText) });
  svg.append(patterns(prefix));
  // Bars live in one group so that a playback can reveal them left to right.
  const bars = svgElement("g", { class: "lab-bars" });
  axis(svg, makespan, height, t);
  const scale = (ms) => LABEL + ((WIDTH - LABEL - 10) * ms) / makespan;
  rows.forEach((row, index) => {
    const y = index * ROW;
    if (row.label) {
      const label = svgElement("text", { x: LABEL - 4, y: y + ROW - 4, "text-anchor": "end" });
      label.textContent = row.label;
      svg.append(label);
    }
    if (aggregated) {
      const binWidth = (WIDTH - LABEL - 10) / BINS;
      const peak = Math.max(...row.bins.map((b) => KINDS.reduce((s, k) => s + b[k], 0)), 1e-9);
      row.bins.forEach((bin, i) => {
        let offset = 0;
        for (const kind of KINDS) {
          const h = ((ROW - 2) * bin[kind]) / peak;
          if (h <= 0) continue;
          bars.append(svgElement("rect", { class: "lab-bar", x: LABEL + i * binWidth, y: y + ROW - 1 - offset - h, width: binWidth, height: h, fill: fill(kind, prefix) }));
          offset += h;
        }
      });
      for (const [bin, counts] of row.failures) {
        const text = [...counts].map(([error, n]) => `${number(n)} × ${failureText(error)}`).join("; ");
        bars.append(titled(failureMark(LABEL + (bin + 0.5) * binWidth, y + ROW / 2), text));
      }
      return;
    }
    for (const request of row.requests) {
      const failure = request.error ? ` (${failureText(request.error)})` : "";
      for (const [kind, start, end] of request.segments) {
        if (end <= start) continue;
        const rect = svgElement("rect", { class: "lab-bar", x: scale(start), y: y + 2, width: Math.max(0.8, scale(end) - scale(start)), height: ROW - 4, fill: fill(kind, prefix) });
        bars.append(titled(rect, `#${request.id} ${localized(KIND_LABELS.get(kind))} ${start}–${end} ms${failure}`));
      }
      if (request.error) {
        // The whole request outlined, dashed, and its end crossed out: it ended in a 500.
        const [start, end] = [scale(request.arrival_ms), scale(request.end_ms)];
        const text = `#${request.id} ${failureText(request.error)}`;
        bars.append(titled(failureOutline(start, y + 1, Math.max(0.8, end - start), ROW - 2), text));
        bars.append(titled(failureMark(end, y + ROW / 2), text));
      }
    }
  });
  svg.append(bars);
  return { svg, aggregated, prefix, bars, height, scale };
}

function legend(prefix, failed) {
  const box = html("div", { class: "lab-legend" });
  for (const kind of KINDS) {
    const item = html("span", { "data-kind": kind });
    const swatch = svgElement("svg", { width: 14, height: 10, "aria-hidden": "true" });
    swatch.append(svgElement("rect", { width: 14, height: 10, fill: fill(kind, prefix), stroke: "var(--md-default-fg-color--light)", "stroke-width": 0.5 }));
    item.append(swatch, document.createTextNode(localized(KIND_LABELS.get(kind))));
    box.append(item);
  }
  if (failed) {
    const item = html("span", { "data-kind": "failed" });
    const swatch = svgElement("svg", { width: 14, height: 10, "aria-hidden": "true" });
    swatch.append(failureOutline(0.5, 0.5, 13, 9), failureMark(7, 5));
    item.append(swatch, document.createTextNode(localized(FAILED_LABEL)));
    box.append(item);
  }
  return box;
}

function number(value, unit = "") {
  const text = Number(value).toLocaleString(pageLanguage(), { maximumFractionDigits: 1 });
  return unit ? `${text} ${unit}` : text;
}

/** The headline numbers, labelled and in the order of the vocabulary's metrics. */
function summary(data) {
  const list = html("dl", { class: "lab-summary" });
  const rows = labSchema.metrics.map((m) => [m.name, localized(m.label), number(data[m.name], m.unit)]);
  for (const [metric, name, value] of rows) {
    // Failed requests, when there are any, stand out by a sign as well as by colour.
    const failed = metric === "failed" && data.failed > 0;
    list.append(html("dt", {}, name), html("dd", failed ? { class: "lab-failed-count" } : {}, value));
  }
  return { list, text: rows.map(([, n, v]) => `${n} ${v}`).join(", ") };
}

function transcript(data, t, aggregated) {
  const details = html("details", { class: "lab-transcript" });
  details.append(html("summary", {}, t.transcript));
  if (aggregated) details.append(html("p", {}, t.aggregated(number(data.lanes.length))));
  // The table scrolls sideways in a narrow panel: focusable, so the keyboard can scroll it.
  const table = html("table", { tabindex: "0", "aria-label": t.transcript });
  const head = html("tr");
  // The error column only when a request failed: a column of blanks would say nothing.
  const columns = [t.request, t.lane, t.arrival, t.start, t.end, t.latency, ...(data.failed ? [t.failure] : [])];
  for (const name of columns) head.append(html("th", { scope: "col" }, name));
  table.append(head);
  const shown = data.requests.slice(0, 50);
  for (const r of shown) {
    const row = html("tr");
    const values = [r.id, r.lane, number(r.arrival_ms), number(r.start_ms), number(r.end_ms), number(r.end_ms - r.arrival_ms)];
    for (const value of values) row.append(html("td", {}, String(value)));
    if (data.failed) row.append(html("td", { class: "lab-failure-cell" }, r.error ? failureText(r.error) : ""));
    table.append(row);
  }
  details.append(table);
  if (data.requests.length > shown.length) details.append(html("p", {}, t.more(number(data.requests.length - shown.length))));
  return details;
}

/** Render one result into `container` (replacing what was there). */
export function renderResult(container, data, title = "") {
  const t = labStrings();
  const panel = html("div", { class: "lab-panel" });
  // A titled group, not a heading: the lab sits under headings of any level in the page.
  if (title) {
    panel.setAttribute("role", "group");
    panel.setAttribute("aria-label", title);
    panel.append(html("p", { class: "lab-panel-title" }, title));
  }
  const { list, text } = summary(data);
  const drawn = chart(data, t, `${title} ${text}`.trim());
  const figure = html("div", { class: "lab-chart" });
  figure.append(drawn.svg);
  panel.append(list, figure, playback(drawn, data, t), legend(drawn.prefix, data.failed), transcript(data, t, drawn.aggregated));
  container.append(panel);
  return panel;
}

const MIN_PLAYBACK_MS = 1000; // very short runs are slowed down to be watchable
const MAX_PLAYBACK_MS = 15000; // and long ones sped up

/** A button that replays the run on the clock: a cursor moves and bars appear as time passes. */
function playback({ svg, bars, height, scale, prefix }, data, t) {
  const box = html("div", { class: "lab-playback" });
  const button = html("button", { type: "button", class: "md-button" }, t.play);
  const note = html("span", { class: "runnable-status", role: "status" });
  box.append(button, note);
  const makespan = Math.max(data.makespan_ms, 1);
  const duration = Math.min(MAX_PLAYBACK_MS, Math.max(MIN_PLAYBACK_MS, makespan));
  const clip = svgElement("clipPath", { id: `${prefix}-reveal` });
  const window_ = svgElement("rect", { x: 0, y: 0, width: scale(makespan), height });
  clip.append(window_);
  svg.querySelector("defs").append(clip);
  const cursor = svgElement("line", { y1: 0, y2: height, stroke: "var(--md-accent-fg-color)", "stroke-width": 2, visibility: "hidden" });
  svg.append(cursor);
  let frame = 0;
  const show = (ms) => {
    const x = scale(ms);
    window_.setAttribute("width", x);
    cursor.setAttribute("x1", x);
    cursor.setAttribute("x2", x);
  };
  const stop = () => {
    cancelAnimationFrame(frame);
    frame = 0;
    bars.removeAttribute("clip-path");
    cursor.setAttribute("visibility", "hidden");
    button.textContent = t.play;
  };
  button.addEventListener("click", () => {
    if (frame) return stop();
    // Readers who asked for less motion get the finished chart and a word about it.
    if (matchMedia("(prefers-reduced-motion: reduce)").matches) {
      note.textContent = t.reducedMotion;
      return;
    }
    note.textContent = t.speed(duration / makespan);
    bars.setAttribute("clip-path", `url(#${prefix}-reveal)`);
    cursor.setAttribute("visibility", "visible");
    button.textContent = t.stopPlayback;
    const started = performance.now();
    const tick = (now) => {
      const ms = Math.min(makespan, ((now - started) / duration) * makespan);
      show(ms);
      if (ms < makespan) frame = requestAnimationFrame(tick);
      else stop();
    };
    show(0);
    frame = requestAnimationFrame(tick);
  });
  return box;
}

