// Precompile Pyodide's standard library to bytecode, inside Pyodide itself.
// Usage: node precompile_stdlib.mjs PYODIDE_DIR OUTPUT_ZIP
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { loadPyodide } from "pyodide";

const [pyodideDir, outputZip] = process.argv.slice(2);
const here = path.dirname(fileURLToPath(import.meta.url));
const pyodide = await loadPyodide({ indexURL: path.resolve(pyodideDir) + "/" });
pyodide.FS.writeFile("/tmp/python_stdlib.zip", await readFile(path.join(pyodideDir, "python_stdlib.zip")));
pyodide.runPython(await readFile(path.join(here, "precompile_stdlib.py"), "utf8"));
const counts = pyodide.runPython(
  "precompile('/tmp/python_stdlib.zip', '/tmp/python_stdlib_pyc.zip')",
).toJs();
await writeFile(outputZip, pyodide.FS.readFile("/tmp/python_stdlib_pyc.zip"));
console.log(`stdlib: ${counts[0]} modules precompiled, ${counts[1]} kept as source`);
