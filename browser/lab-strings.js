// Interface strings of the server lab, in the page's language. What names a part of the
// scenario (parameters, limits, defaults, servers, views, kinds of time, headline numbers)
// is not here: it comes from the lab's vocabulary, serverlab.scenario.schema(), which the
// build writes to JSON and esbuild inlines under the alias "lab-schema.json".
import schema from "lab-schema.json";
import { pageLanguage } from "./lang.js";

const STRINGS = {
  vi: {
    simulate: "Mô phỏng",
    compare: "So sánh hai cấu hình",
    running: "Đang mô phỏng…",
    chartLabel: (s) => `Biểu đồ timeline: ${s}`,
    transcript: "Bản ghi dạng chữ",
    lane: "Làn",
    request: "Request",
    arrival: "Đến (ms)",
    start: "Bắt đầu (ms)",
    end: "Xong (ms)",
    latency: "Độ trễ (ms)",
    more: (n) => `… và ${n} request khác`,
    aggregated: (n) => `${n} làn được gộp theo process để biểu đồ dễ đọc.`,
    time: "thời gian (ms)",
    outOfRange: (name, min, max, whole) =>
      `${name}: hãy nhập một số ${whole ? "nguyên " : ""}từ ${min} đến ${max}.`,
    play: "▶ Phát lại theo thời gian",
    stopPlayback: "■ Dừng phát lại",
    speed: (factor) => (Math.abs(factor - 1) < 0.01 ? "Tốc độ thật." : `Tốc độ ×${(1 / factor).toLocaleString("vi", { maximumFractionDigits: 2 })} so với thời gian thật.`),
    reducedMotion: "Trình duyệt của bạn yêu cầu giảm chuyển động, nên biểu đồ được hiện đầy đủ thay vì phát lại.",
    labError: "Không mô phỏng được",
    databaseOnly: (views) => `Chỉ có tác dụng với view dùng database (${views}).`,
    fieldHelp: "Ý nghĩa các trường",
    failure: "Lỗi",
  },
  en: {
    simulate: "Simulate",
    compare: "Compare two setups",
    running: "Simulating…",
    chartLabel: (s) => `Timeline chart: ${s}`,
    transcript: "Text transcript",
    lane: "Lane",
    request: "Request",
    arrival: "Arrival (ms)",
    start: "Start (ms)",
    end: "End (ms)",
    latency: "Latency (ms)",
    more: (n) => `… and ${n} more requests`,
    aggregated: (n) => `${n} lanes are grouped by process to keep the chart readable.`,
    time: "time (ms)",
    outOfRange: (name, min, max, whole) => `${name}: enter a ${whole ? "whole " : ""}number from ${min} to ${max}.`,
    play: "▶ Play back in time",
    stopPlayback: "■ Stop playback",
    speed: (factor) => (Math.abs(factor - 1) < 0.01 ? "Real time." : `${(1 / factor).toLocaleString("en", { maximumFractionDigits: 2 })}× real time.`),
    reducedMotion: "Your browser asks for reduced motion, so the chart is shown whole instead of played back.",
    labError: "Could not simulate",
    databaseOnly: (views) => `Only matters for views that use the database (${views}).`,
    fieldHelp: "What the fields mean",
    failure: "Error",
  },
};

/** The lab's vocabulary: parameters, servers, views, segment kinds, metrics, labels. */
export const labSchema = schema;

/** The lab's interface strings in `language`: the page's, unless the build names one. */
export function labStrings(language = pageLanguage()) {
  return STRINGS[language];
}

/** A vocabulary label ({vi, en}) in `language`: the page's, unless the build names one. */
export function localized(label, language = pageLanguage()) {
  return label[language];
}

/** `template` with each {name} replaced by `values[name]`, as Python's str.format does. */
export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
}

const DEFAULTS = Object.fromEntries(schema.parameters.map((p) => [p.name, p.default]));
const SERVERS = new Map(schema.servers.map((server) => [server.name, server]));
/** The built-in views that query the database: the db_* parameters act only on them. */
export const DATABASE_VIEWS = schema.views.filter((view) => view.database).map((view) => view.name);

/** Whether `server` takes the parameter `name` (threads only where there is a thread pool). */
export function takes(server, name) {
  return SERVERS.get(server)?.parameters.includes(name) ?? false;
}

/** The server's own option for a lab parameter (uWSGI's workers: "--processes"), or undefined. */
export function serverOption(server, name) {
  return SERVERS.get(server)?.options[name];
}

/** The value a server runs with for a parameter it has no option for (Daphne: one worker). */
export function fixedValue(server, name) {
  return SERVERS.get(server)?.fixed[name] ?? DEFAULTS[name];
}

/** A setup's short label, the same as the build's static table: serverlab.scenario.setup_label. */
export function setupLabel(setup) {
  const values = { ...DEFAULTS, ...setup };
  const { template, threads, db } = schema.setup_label;
  const database = DATABASE_VIEWS.includes(values.view);
  return fill(template, {
    ...values,
    threads: takes(values.server, "threads") ? fill(threads, values) : "",
    db: database ? fill(db, values) : "",
  });
}
