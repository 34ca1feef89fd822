// A long-lived Pyodide under Node for the tests: reads one JSON request per line on
// stdin ({"code": ...}), runs it as the browser worker would, and answers one JSON line
// ({"status", "error", "stdout", "stderr"}). Uses the site's own Pyodide build, offline.
import { createInterface } from "node:readline";
import path from "node:path";
import { loadPyodide } from "pyodide";

const indexURL = path.resolve(process.argv[2]) + path.sep;
const pyodide = await loadPyodide({ indexURL, packages: ["pyrunner"] });
const pyrunner = pyodide.pyimport("pyrunner.browser");
process.stdout.write(JSON.stringify({ ready: true }) + "\n");

for await (const line of createInterface({ input: process.stdin })) {
  const { code, simulate } = JSON.parse(line);
  if (simulate) {
    await pyodide.loadPackage("serverlab", { messageCallback: () => {} });
    process.stdout.write(JSON.stringify({ result: JSON.parse(pyrunner.simulate_json(JSON.stringify(simulate))) }) + "\n");
    continue;
  }
  const streams = { stdout: "", stderr: "" };
  const charts = [];
  let result;
  try {
    await pyodide.loadPackagesFromImports(code, { messageCallback: () => {} });
    result = (
      await pyrunner.run(code, (name, text) => (streams[name] += text), (kind, json) => charts.push([kind, JSON.parse(json)]))
    ).toJs({ dict_converter: Object.fromEntries });
  } catch (error) {
    // A failure of the runner itself, not of the snippet: report it, keep serving.
    result = { status: "runner-error", error: String(error) };
  }
  process.stdout.write(JSON.stringify({ ...result, ...streams, charts }) + "\n");
}
