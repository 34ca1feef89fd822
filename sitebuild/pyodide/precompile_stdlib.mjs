// Precompile Pyodide's standard library to bytecode, inside Pyodide itself.
// Usage: node precompile_stdlib.mjs PYODIDE_DIR OUTPUT_ZIP
// The work is precompile_stdlib.py, imported as a module into Pyodide and called from here.
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { loadPyodide } from "pyodide";

const [pyodideDir, outputZip] = process.argv.slice(2);
const here = path.dirname(fileURLToPath(import.meta.url));
const MODULE_DIR = "/precompile";
const pyodide = await loadPyodide({ indexURL: path.resolve(pyodideDir) + "/" });
pyodide.FS.mkdirTree(MODULE_DIR);
const source = await readFile(path.join(here, "precompile_stdlib.py"));
pyodide.FS.writeFile(`${MODULE_DIR}/precompile_stdlib.py`, source);
pyodide.pyimport("sys").path.insert(0, MODULE_DIR);
const stdlib = await readFile(path.join(pyodideDir, "python_stdlib.zip"));
pyodide.FS.writeFile("/tmp/python_stdlib.zip", stdlib);
const { precompile } = pyodide.pyimport("precompile_stdlib");
const [compiled, kept] = precompile("/tmp/python_stdlib.zip", "/tmp/python_stdlib_pyc.zip").toJs();
await writeFile(outputZip, pyodide.FS.readFile("/tmp/python_stdlib_pyc.zip"));
console.log(`stdlib: ${compiled} modules precompiled, ${kept} kept as source`);
