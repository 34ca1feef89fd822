// The Python worker: loads the self-hosted Pyodide once and runs snippets on request.
// The Python side of running a snippet lives in the `pyrunner` package (a real .py
// package that CPython tests too); this file only moves messages and output.

const PYODIDE_URL = new URL("../../pyodide/", import.meta.url).href;
const FLUSH_MS = 30; // Batch printed text so a print flood cannot flood the page.
const FLUSH_CHARS = 8192;

let pyodide;
let pyrunner;
const sessions = new Map();

async function boot() {
  const started = performance.now();
  const { loadPyodide } = await import(/* @vite-ignore */ `${PYODIDE_URL}pyodide.mjs`);
  pyodide = await loadPyodide({ indexURL: PYODIDE_URL, packages: ["pyrunner"] });
  pyrunner = pyodide.pyimport("pyrunner.browser");
  postMessage({ type: "ready", ms: Math.round(performance.now() - started) });
}

function outputBuffer(id) {
  let chunks = [];
  let stream = "stdout";
  let size = 0;
  let last = performance.now();
  const flush = () => {
    if (chunks.length) postMessage({ type: "output", id, stream, text: chunks.join("") });
    chunks = [];
    size = 0;
    last = performance.now();
  };
  const write = (name, text) => {
    if (name !== stream) flush();
    stream = name;
    chunks.push(text);
    size += text.length;
    if (size > FLUSH_CHARS || performance.now() - last > FLUSH_MS) flush();
  };
  return { write, flush };
}

async function run({ id, code, session }) {
  const output = outputBuffer(id);
  const publish = (kind, json) => {
    output.flush();
    postMessage({ type: kind, id, data: JSON.parse(json) });
  };
  let result;
  try {
    await pyodide.loadPackagesFromImports(code, {
      messageCallback: () => postMessage({ type: "status", id, status: "loading-packages" }),
      errorCallback: (text) => output.write("stderr", `${text}\n`),
    });
    if (session && !sessions.has(session)) sessions.set(session, pyodide.globals.get("dict")());
    postMessage({ type: "started", id });
    result = (await pyrunner.run(code, output.write, publish, session ? sessions.get(session) : undefined)).toJs({
      dict_converter: Object.fromEntries,
    });
  } catch (error) {
    output.flush();
    if (!alive()) {
      // Pyodide cannot recover from a fatal error (a stack overflow in C, say): let the
      // page replace this worker.
      postMessage({ type: "fatal", error: String(error) });
      return;
    }
    result = { status: "error", error: String(error), elapsed_ms: 0 };
  }
  output.flush();
  postMessage({ type: "done", id, ...result });
}

function alive() {
  try {
    return pyodide.runPython("1 + 1") === 2;
  } catch {
    return false;
  }
}

async function simulate({ id, params }) {
  try {
    await pyodide.loadPackage("serverlab", { messageCallback: () => {} });
    const json = pyrunner.simulate_json(JSON.stringify(params));
    postMessage({ type: "lab-result", id, result: JSON.parse(json) });
  } catch (error) {
    postMessage({ type: "done", id, status: "error", error: String(error.message || error) });
  }
}

const booted = boot().catch((error) => postMessage({ type: "fatal", error: String(error) }));

// One job at a time, in order: a run must not interleave with another at an await.
let queue = booted;
addEventListener("message", (event) => {
  const message = event.data;
  const handle = message.type === "run" ? run : message.type === "simulate" ? simulate : null;
  if (handle) queue = queue.then(() => handle(message));
});
