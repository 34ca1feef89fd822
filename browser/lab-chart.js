// Draws a lab result: a timeline (SVG), the summary numbers and a text transcript.
// Kinds of time are told apart by fill pattern and legend text, not by colour alone.
// The picture (timeline and legend) is a pure function of the result and a language, a
// tree of plain objects: the browser turns it into DOM nodes, and the build runs the very
// same code under Node (sitebuild/lab_pictures.mjs) to put it in the page as markup.
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

/** A coordinate to a hundredth of a unit: finer is invisible and only weighs down the page. */
const rounded = (value) => (typeof value === "number" ? Math.round(value * 100) / 100 : value);

/** One element of a picture as data: its tag, attributes and children (elements or text). */
function node(tag, attributes = {}, ...children) {
  const values = Object.fromEntries(Object.entries(attributes).map(([key, value]) => [key, rounded(value)]));
  return { tag, attributes: values, children };
}

/** A picture's tree as DOM nodes; everything inside an <svg> in the SVG namespace. */
export function toDom(tree, inSvg = false) {
  if (typeof tree === "string") return document.createTextNode(tree);
  const svg = inSvg || tree.tag === "svg";
  const element = svg ? document.createElementNS(SVG, tree.tag) : document.createElement(tree.tag);
  for (const [key, value] of Object.entries(tree.attributes)) element.setAttribute(key, String(value));
  // One child at a time: an aggregated chart has too many bars to spread into one call.
  for (const child of tree.children) element.append(toDom(child, svg));
  return element;
}

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
const escaped = (text) => String(text).replace(/[&<>"]/g, (c) => ESCAPES[c]);

/** A picture's tree as HTML markup, on one line (Markdown keeps a one-line block raw). */
export function toMarkup(tree) {
  if (typeof tree === "string") return escaped(tree);
  const attributes = Object.entries(tree.attributes).map(([key, value]) => ` ${key}="${escaped(value)}"`);
  return `<${tree.tag}${attributes.join("")}>${tree.children.map(toMarkup).join("")}</${tree.tag}>`;
}

function patterns(prefix) {
  const hatch = node("pattern", { id: `${prefix}-hatch`, width: 4, height: 4, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" },
    node("rect", { width: 4, height: 4, fill: "var(--md-default-bg-color)" }),
    node("line", { x1: 0, y1: 0, x2: 0, y2: 4, stroke: "var(--md-default-fg-color--light)", "stroke-width": 1.5 }));
  // Blocked reads dark and crossed, I/O light and dotted: apart in grey too, not by hue alone.
  const cross = node("pattern", { id: `${prefix}-cross`, width: 4, height: 4, patternUnits: "userSpaceOnUse" },
    node("rect", { width: 4, height: 4, fill: "var(--runnable-error-color)" }),
    node("path", { d: "M0 0L4 4M4 0L0 4", stroke: "var(--md-default-bg-color)", "stroke-width": 0.8 }));
  const dots = node("pattern", { id: `${prefix}-dots`, width: 5, height: 5, patternUnits: "userSpaceOnUse" },
    node("rect", { width: 5, height: 5, fill: "var(--md-default-bg-color)" }),
    node("rect", { width: 5, height: 5, fill: "var(--md-accent-fg-color)", opacity: 0.15 }),
    node("circle", { cx: 2.5, cy: 2.5, r: 1.3, fill: "var(--md-accent-fg-color)" }));
  // Waiting for a database connection: horizontal stripes, unlike the diagonal queue hatch.
  const stripes = node("pattern", { id: `${prefix}-stripes`, width: 4, height: 4, patternUnits: "userSpaceOnUse" },
    node("rect", { width: 4, height: 4, fill: "var(--md-default-bg-color)" }),
    node("rect", { width: 4, height: 2, fill: "var(--md-primary-fg-color)" }));
  return [hatch, cross, dots, stripes];
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

/** What a failed request's marks say: the failure's label in `language`. */
function failureText(error, language) {
  return localized(FAILURE_LABELS.get(error), language);
}

/** `element` with a tooltip `text`, which assistive technology reads as its name too. */
function titled(element, text) {
  element.children.push(node("title", {}, text));
  return element;
}

/** A failed request's end: a cross in the error colour, by shape as well as by colour. */
function failureMark(x, y) {
  [x, y] = [rounded(x), rounded(y)];
  const d = `M${x - 3} ${y - 3}L${x + 3} ${y + 3}M${x + 3} ${y - 3}L${x - 3} ${y + 3}`;
  return node("path", { class: "lab-failure", d, stroke: "var(--runnable-error-color)", "stroke-width": 2 });
}

/** A failed request's span (or the legend's swatch): a dashed outline in the error colour. */
function failureOutline(x, y, width, height) {
  const outline = { class: "lab-failed", x, y, width, height, fill: "none", stroke: "var(--runnable-error-color)" };
  return node("rect", { ...outline, "stroke-width": 1.2, "stroke-dasharray": "3 2" });
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
    svg.children.push(node("line", { x1: x, y1: 0, x2: x, y2: height, stroke: "var(--md-default-fg-color--lightest)" }));
    svg.children.push(node("text", { x, y: height + 12, "text-anchor": "middle" }, `${Math.round((makespan * i) / ticks)}`));
  }
  svg.children.push(node("text", { x: WIDTH - 10, y: height + 24, "text-anchor": "end" }, t.time));
}

/** Where on the timeline a time falls, in the SVG's units. */
function timeScale(makespan) {
  return (ms) => LABEL + ((WIDTH - LABEL - 10) * ms) / makespan;
}

/** The timeline of `data` as a tree, its pattern ids starting with `prefix`. It holds the
 * playback's parts too (a reveal clip and a hidden cursor), so that the picture the build
 * draws and the one the browser draws are the same. */
function chart(data, language, summaryText, prefix) {
  const t = labStrings(language);
  const makespan = Math.max(data.makespan_ms, 1);
  const segments = data.requests.reduce((sum, r) => sum + r.segments.length, 0);
  let rows = detailedRows(data);
  const aggregated = rows.length > MAX_ROWS || segments > MAX_SEGMENTS;
  if (aggregated) rows = aggregatedRows(data, makespan);
  const height = rows.length * ROW;
  const scale = timeScale(makespan);
  const reveal = node("clipPath", { id: `${prefix}-reveal` }, node("rect", { x: 0, y: 0, width: scale(makespan), height }));
  const svg = node("svg", { viewBox: `0 0 ${WIDTH} ${height + 28}`, role: "img", "aria-label": t.chartLabel(summaryText) },
    node("defs", {}, ...patterns(prefix), reveal));
  // Bars live in one group so that a playback can reveal them left to right.
  const bars = node("g", { class: "lab-bars" });
  const add = (element) => bars.children.push(element);
  axis(svg, makespan, height, t);
  rows.forEach((row, index) => {
    const y = index * ROW;
    if (row.label) svg.children.push(node("text", { x: LABEL - 4, y: y + ROW - 4, "text-anchor": "end" }, row.label));
    if (aggregated) {
      const binWidth = (WIDTH - LABEL - 10) / BINS;
      const peak = Math.max(...row.bins.map((b) => KINDS.reduce((s, k) => s + b[k], 0)), 1e-9);
      // Bins drawn alike in a row are drawn once, as wide as all of them: the same picture
      // with a fraction of the elements (a long request spans many bins).
      const stacks = row.bins.map((bin) => KINDS.map((kind) => rounded(((ROW - 2) * bin[kind]) / peak)));
      for (let first = 0, last = 0; first < BINS; first = last) {
        const same = String(stacks[first]);
        while (last < BINS && String(stacks[last]) === same) last++;
        let offset = 0;
        KINDS.forEach((kind, k) => {
          const h = stacks[first][k];
          if (h <= 0) return;
          add(node("rect", { class: "lab-bar", x: LABEL + first * binWidth, y: y + ROW - 1 - offset - h, width: (last - first) * binWidth, height: h, fill: fill(kind, prefix) }));
          offset += h;
        });
      }
      for (const [bin, counts] of row.failures) {
        const text = [...counts].map(([error, n]) => `${number(n, language)} × ${failureText(error, language)}`).join("; ");
        add(titled(failureMark(LABEL + (bin + 0.5) * binWidth, y + ROW / 2), text));
      }
      return;
    }
    for (const request of row.requests) {
      const failure = request.error ? ` (${failureText(request.error, language)})` : "";
      for (const [kind, start, end] of request.segments) {
        if (end <= start) continue;
        const rect = node("rect", { class: "lab-bar", x: scale(start), y: y + 2, width: Math.max(0.8, scale(end) - scale(start)), height: ROW - 4, fill: fill(kind, prefix) });
        add(titled(rect, `#${request.id} ${localized(KIND_LABELS.get(kind), language)} ${start}–${end} ms${failure}`));
      }
      if (request.error) {
        // The whole request outlined, dashed, and its end crossed out: it ended in a 500.
        const [start, end] = [scale(request.arrival_ms), scale(request.end_ms)];
        const text = `#${request.id} ${failureText(request.error, language)}`;
        add(titled(failureOutline(start, y + 1, Math.max(0.8, end - start), ROW - 2), text));
        add(titled(failureMark(end, y + ROW / 2), text));
      }
    }
  });
  svg.children.push(bars);
  svg.children.push(node("line", { class: "lab-cursor", y1: 0, y2: height, stroke: "var(--md-accent-fg-color)", "stroke-width": 2, visibility: "hidden" }));
  return { svg, aggregated };
}

function legend(prefix, failed, language) {
  const box = node("div", { class: "lab-legend" });
  for (const kind of KINDS) {
    const swatch = node("svg", { width: 14, height: 10, "aria-hidden": "true" },
      node("rect", { width: 14, height: 10, fill: fill(kind, prefix), stroke: "var(--md-default-fg-color--light)", "stroke-width": 0.5 }));
    box.children.push(node("span", { "data-kind": kind }, swatch, localized(KIND_LABELS.get(kind), language)));
  }
  if (failed) {
    const swatch = node("svg", { width: 14, height: 10, "aria-hidden": "true" }, failureOutline(0.5, 0.5, 13, 9), failureMark(7, 5));
    box.children.push(node("span", { "data-kind": "failed" }, swatch, localized(FAILED_LABEL, language)));
  }
  return box;
}

function number(value, language, unit = "") {
  const text = Number(value).toLocaleString(language, { maximumFractionDigits: 1 });
  return unit ? `${text} ${unit}` : text;
}

/** The headline numbers as [metric, label, value], in the order of the vocabulary's metrics. */
function summaryRows(data, language) {
  return labSchema.metrics.map((m) => [m.name, localized(m.label, language), number(data[m.name], language, m.unit)]);
}

/** The headline numbers in one line, as the chart's accessible name says them. */
function summaryText(data, language) {
  return summaryRows(data, language).map(([, name, value]) => `${name} ${value}`).join(", ");
}

/** The picture of one result in `language`: its timeline and legend, as trees, with
 * pattern ids under `prefix` (unique in the page). `title` names the setup. */
export function picture(data, language, title, prefix) {
  const drawn = chart(data, language, `${title} ${summaryText(data, language)}`.trim(), prefix);
  return { ...drawn, legend: legend(prefix, data.failed, language) };
}

/** A setup's picture as the build shows it before any script: its title, timeline, legend.
 * Its classes are its own, not the live panel's: a page's live charts are found by theirs. */
export function staticPanel(data, language, title, prefix) {
  const { svg, legend: key } = picture(data, language, title, prefix);
  // Kept out of the site's search, whose index the bars' tooltips would fill with numbers
  // (the table beside says them once). Material's indexer ends an exclusion at the first
  // closing tag of the same name, so each part carries its own mark, none the panel's div.
  const unindexed = { "data-search-exclude": "" };
  Object.assign(key.attributes, unindexed);
  const named = title ? { role: "group", "aria-label": title } : {};
  const heading = title ? [node("p", { class: "lab-picture-title", ...unindexed }, title)] : [];
  const chart = node("div", { class: "lab-picture-chart", ...unindexed }, svg);
  return node("div", { class: "lab-picture", ...named }, ...heading, chart, key);
}

/** The headline numbers, labelled; a failed count stands out by a sign as well as by colour. */
function summary(data, language) {
  const list = html("dl", { class: "lab-summary" });
  for (const [metric, name, value] of summaryRows(data, language)) {
    const failed = metric === "failed" && data.failed > 0;
    list.append(html("dt", {}, name), html("dd", failed ? { class: "lab-failed-count" } : {}, value));
  }
  return list;
}

function transcript(data, t, aggregated, language) {
  const details = html("details", { class: "lab-transcript" });
  details.append(html("summary", {}, t.transcript));
  if (aggregated) details.append(html("p", {}, t.aggregated(number(data.lanes.length, language))));
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
    const values = [r.id, r.lane, ...[r.arrival_ms, r.start_ms, r.end_ms, r.end_ms - r.arrival_ms].map((ms) => number(ms, language))];
    for (const value of values) row.append(html("td", {}, String(value)));
    if (data.failed) row.append(html("td", { class: "lab-failure-cell" }, r.error ? failureText(r.error, language) : ""));
    table.append(row);
  }
  details.append(table);
  if (data.requests.length > shown.length) details.append(html("p", {}, t.more(number(data.requests.length - shown.length, language))));
  return details;
}

/** Render one result into `container` (replacing what was there). */
export function renderResult(container, data, title = "") {
  const language = pageLanguage();
  const t = labStrings(language);
  const panel = html("div", { class: "lab-panel" });
  // A titled group, not a heading: the lab sits under headings of any level in the page.
  if (title) {
    panel.setAttribute("role", "group");
    panel.setAttribute("aria-label", title);
    panel.append(html("p", { class: "lab-panel-title" }, title));
  }
  const drawn = picture(data, language, title, `lab${++chartCount}`);
  const svg = toDom(drawn.svg);
  const figure = html("div", { class: "lab-chart" });
  figure.append(svg);
  panel.append(summary(data, language), figure, playback(svg, data, t), toDom(drawn.legend), transcript(data, t, drawn.aggregated, language));
  container.append(panel);
  return panel;
}

const MIN_PLAYBACK_MS = 1000; // very short runs are slowed down to be watchable
const MAX_PLAYBACK_MS = 15000; // and long ones sped up

/** A button that replays the run on the clock: a cursor moves and bars appear as time passes. */
function playback(svg, data, t) {
  const box = html("div", { class: "lab-playback" });
  const button = html("button", { type: "button", class: "md-button" }, t.play);
  const note = html("span", { class: "runnable-status", role: "status" });
  box.append(button, note);
  const makespan = Math.max(data.makespan_ms, 1);
  const duration = Math.min(MAX_PLAYBACK_MS, Math.max(MIN_PLAYBACK_MS, makespan));
  const clip = svg.querySelector("clipPath");
  const window_ = clip.firstElementChild;
  const full = window_.getAttribute("width");
  const bars = svg.querySelector(".lab-bars");
  const cursor = svg.querySelector(".lab-cursor");
  const scale = timeScale(makespan);
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
    window_.setAttribute("width", full);
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
    bars.setAttribute("clip-path", `url(#${clip.id})`);
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
