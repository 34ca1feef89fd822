// The Python worker's core: loads Pyodide once and runs snippets and lab simulations on
// request, one at a time. It knows nothing of its host: the browser worker (worker.js)
// and the tests' Node driver (harness/pyodide_worker.mjs) both give it a Pyodide loader
// and a `post(message)` function, so the tests run this very file.
// The Python side of running a snippet lives in the `pyrunner` package (a real .py
// package that CPython tests too); this file only moves messages and output.
import * as protocol from "./protocol.js";

const FLUSH_MS = 30; // Batch printed text so a print flood cannot flood the page.
const FLUSH_CHARS = 8192;

/** Printed text of run `id`, batched per stream and posted as output messages. */
function outputBuffer(id, post) {
  let chunks = [];
  let stream = "stdout";
  let size = 0;
  let last = performance.now();
  const flush = () => {
    if (chunks.length) post(protocol.output(id, stream, chunks.join("")));
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

/** How Python ended, as a protocol.CRASH cause: an Emscripten exit (os._exit) or a failure. */
function crashCause(error) {
  return error?.name === "Exit" || error?.name === "ExitStatus" ? protocol.CRASH.exited : protocol.CRASH.failed;
}

/**
 * Start loading Pyodide with `loadPyodide(options)`. Returns `handle(request)`, which
 * queues a run or simulate request (every reply goes to `post(message)`), and
 * `uncaught(error)`, for the host's last-resort error handler: it answers whether the error
 * was fatal to Python (after posting a fatal message), in which case the host must end.
 * `readBytesSync(url)` fetches one of the standard library's on-demand archives when a snippet
 * imports a module left out of the core one (by synchronous XMLHttpRequest in a browser).
 * `fetchingRuntime(load)` runs a package load as the host fetches the runtime's own files
 * (in a browser, wheels come as zstd twins).
 */
export function startWorker({ loadPyodide, indexURL, post, readBytesSync, fetchingRuntime }) {
  let pyodide;
  let pyrunner;
  let running = null; // The id of the run under way, which a fetch of the archive reports to.
  const sessions = new Map();

  function readArchive(url) {
    if (running !== null) post(protocol.status(running, protocol.LOADING_PACKAGES));
    return readBytesSync(url);
  }

  async function boot() {
    const startedAt = performance.now();
    pyodide = await loadPyodide({ indexURL, packages: ["pyrunner"] });
    pyrunner = pyodide.pyimport("pyrunner.browser");
    pyrunner.sleep_as_cpython();
    pyrunner.use_stdlib_archive(indexURL, readArchive);
    post(protocol.ready(Math.round(performance.now() - startedAt)));
  }

  // Whether Python still answers: after an Emscripten exit or a fatal error, Pyodide
  // refuses every call (a call to an existing proxy may still seem to work).
  function alive() {
    try {
      return pyodide.runPython("True") && pyrunner.alive();
    } catch {
      return false;
    }
  }

  async function run({ id, code, session, check, awaitTree }) {
    running = id;
    try {
      await runOnce({ id, code, session, check, awaitTree });
    } finally {
      running = null;
    }
  }

  async function runOnce({ id, code, session, check, awaitTree }) {
    const output = outputBuffer(id, post);
    const chart = (json) => {
      output.flush();
      post(protocol.lab(id, JSON.parse(json)));
    };
    // The await tree's snapshots, asked for by the request: after the output printed before.
    const tasks = (json) => {
      output.flush();
      post(protocol.tasks(id, JSON.parse(json)));
    };
    let result;
    try {
      await fetchingRuntime(() =>
        pyodide.loadPackagesFromImports(code, {
          messageCallback: () => post(protocol.status(id, protocol.LOADING_PACKAGES)),
          errorCallback: (text) => output.write("stderr", `${text}\n`),
        }),
      );
      if (session && !sessions.has(session)) sessions.set(session, pyodide.globals.get("dict")());
      post(protocol.started(id));
      const namespace = session ? sessions.get(session) : undefined;
      const checkJson = check ? JSON.stringify(check) : "";
      const sampled = awaitTree ? { tasks } : {};
      result = (await pyrunner.run.callKwargs(code, output.write, chart, namespace, checkJson, sampled)).toJs({
        dict_converter: Object.fromEntries,
      });
    } catch (error) {
      output.flush();
      if (!alive()) {
        // Pyodide cannot recover from a fatal error (a stack overflow in C, say): let the
        // page replace this worker.
        post(protocol.fatal(crashCause(error), error));
        return;
      }
      // A failure of the runner itself, not of the snippet.
      result = { status: protocol.RUN_STATUS.error, error: String(error) };
    }
    output.flush();
    post(protocol.done(id, result));
  }

  async function simulate({ id, params }) {
    try {
      await fetchingRuntime(() => pyodide.loadPackage("serverlab", { messageCallback: () => {} }));
      const answer = JSON.parse(pyrunner.simulate_json(JSON.stringify(params)));
      post(answer.error ? protocol.labError(id, answer.error) : protocol.labResult(id, answer.result));
    } catch (error) {
      // Not a LabError (those come back as data above): the worker itself failed.
      post(protocol.labError(id, { message: String(error.message || error), field: null }));
    }
  }

  const handlers = new Map([
    [protocol.MESSAGE.run, run],
    [protocol.MESSAGE.simulate, simulate],
  ]);
  // One job at a time, in order: a run must not interleave with another at an await.
  let queue = boot().catch((error) => post(protocol.fatal(protocol.CRASH.loadFailed, error)));
  function handle(request) {
    const handler = handlers.get(request.type);
    if (handler) queue = queue.then(() => handler(request));
  }
  // An os._exit() rejects a promise nobody awaits and leaves the run pending for good:
  // only such a last-resort handler learns of it. A reader's own stray rejection, with
  // Python still answering, is no reason to end.
  function uncaught(error) {
    if (!pyodide || alive()) return false;
    post(protocol.fatal(crashCause(error), error));
    return true;
  }
  return { handle, uncaught };
}
