// The shipped Python worker (browser/worker-core.js) under Node, for the tests: the same
// module the browser's worker runs, with the site's own Pyodide build, offline.
// Usage: node pyodide_worker.mjs PYODIDE_DIR [STDLIB_ZIP]; STDLIB_ZIP boots another
// standard library than the build's (the core measurement boots the whole one). Reads one
// JSON request per line on stdin, {"code": ...} or {"params": {...}} (a run or a lab
// simulation), sends it to the worker as the page would, and answers one JSON line once
// the worker is through with it: a run gives {status, error, elapsed_ms, output_limit,
// unavailable, stdout, stderr, charts}, a simulation {result} or {error}. {"reads": true}
// answers {reads: [...]}, every file the worker has read itself (the stdlib fallback);
// {"offline": true | false} makes those reads fail as a request without a network does.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import path from "node:path";
import { loadPyodide } from "pyodide";
import { MESSAGE, runRequest, simulateRequest } from "../browser/protocol.js";
import { startWorker } from "../browser/worker-core.js";

const answer = (data) => process.stdout.write(JSON.stringify(data) + "\n");

/** What the page learns from one job's messages, gathered until the last one. */
class Job {
  constructor() {
    this.streams = { stdout: "", stderr: "" };
    this.charts = [];
    this.finished = new Promise((resolve) => (this.resolve = resolve));
  }

  receive(message) {
    if (message.type === MESSAGE.output) this.streams[message.stream] += message.text;
    else if (message.type === MESSAGE.lab) this.charts.push(message.data);
    else if (message.type === MESSAGE.done) {
      const { status, error, elapsed_ms, output_limit, unavailable, verdict } = message;
      const result = { status, error, elapsed_ms, output_limit, unavailable, verdict };
      this.resolve({ ...result, ...this.streams, charts: this.charts });
    } else if (message.type === MESSAGE.labResult) this.resolve({ result: message.result });
    else if (message.type === MESSAGE.labError) this.resolve({ error: message.error });
  }
}

const jobs = new Map();
let booted;
const ready = new Promise((resolve) => (booted = resolve));
const [pyodideDir, stdlibZip] = process.argv.slice(2);
// Node has no synchronous XMLHttpRequest: the worker reads the build's files from disk.
const reads = [];
let offline = false;
function readBytesSync(url) {
  if (offline) throw new TypeError("Failed to fetch"); // What fetch() says without a network.
  reads.push(path.basename(url));
  const { buffer, byteOffset, byteLength } = readFileSync(url);
  return new Uint8Array(buffer, byteOffset, byteLength); // Pyodide converts no Buffer.
}
const { handle, uncaught } = startWorker({
  loadPyodide: (options) =>
    loadPyodide(stdlibZip ? { ...options, stdLibURL: path.resolve(stdlibZip) } : options),
  indexURL: path.resolve(pyodideDir) + path.sep,
  readBytesSync,
  fetchingRuntime: (load) => load(), // Node reads the plain files from disk.
  post(message) {
    if (message.type === MESSAGE.ready) booted();
    else if (message.type === MESSAGE.fatal) {
      // As the page would replace it, end this worker: the session sees the exit.
      process.stderr.write(`fatal: ${message.error}\n`);
      process.exit(1);
    } else jobs.get(message.id)?.receive(message);
  },
});
// As worker.js does in the browser: an os._exit() only shows as a stray rejection.
process.on("unhandledRejection", (error) => {
  if (!uncaught(error)) process.stderr.write(`unhandled rejection: ${error}\n`);
});
await ready;
answer({ ready: true });

let nextId = 1;
for await (const line of createInterface({ input: process.stdin })) {
  const request = JSON.parse(line);
  if ("reads" in request || "offline" in request) {
    offline = request.offline ?? offline;
    answer({ reads });
    continue;
  }
  const id = nextId++;
  const job = new Job();
  jobs.set(id, job);
  const run = () => runRequest(id, request.code, "", request.check ?? null);
  handle("code" in request ? run() : simulateRequest(id, request.params));
  answer(await job.finished);
  jobs.delete(id);
}
