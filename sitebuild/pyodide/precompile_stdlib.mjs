// Split Pyodide's standard library into a core and on-demand archives, inside Pyodide itself.
// Usage: node precompile_stdlib.mjs PYODIDE_DIR CORE_MODULES_JSON CORE_ZIP DJANGO_ZIP EXTRA_ZIP
// The work is precompile_stdlib.py, imported as a module into Pyodide and called from here;
// each on-demand archive keeps its file name, which the core's index names.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { loadPyodide } from "pyodide";

const [pyodideDir, coreModules, ...zips] = process.argv.slice(2);
const GROUPS = ["core", "django", "extra"];
const here = path.dirname(fileURLToPath(import.meta.url));
const MODULE_DIR = "/precompile";
const pyodide = await loadPyodide({ indexURL: path.resolve(pyodideDir) + "/" });
pyodide.FS.mkdirTree(MODULE_DIR);
pyodide.FS.writeFile(`${MODULE_DIR}/precompile_stdlib.py`, await readFile(path.join(here, "precompile_stdlib.py")));
// pyrunner, whose finder reads the index of the second archive that the split writes.
const PYRUNNER = path.join(here, "..", "..", "packages", "pyrunner", "pyrunner");
pyodide.FS.mkdirTree(`${MODULE_DIR}/pyrunner`);
for (const file of await readdir(PYRUNNER))
  if (file.endsWith(".py")) pyodide.FS.writeFile(`${MODULE_DIR}/pyrunner/${file}`, await readFile(path.join(PYRUNNER, file)));
pyodide.pyimport("sys").path.insert(0, MODULE_DIR);
const stdlib = await readFile(path.join(pyodideDir, "python_stdlib.zip"));
pyodide.FS.writeFile("/tmp/python_stdlib.zip", stdlib);
const { demos, edits, django } = JSON.parse(await readFile(coreModules, "utf-8"));
const measured = pyodide.toPy({ demos, edits, django });
const outputs = pyodide.toPy(Object.fromEntries(GROUPS.map((group, i) => [group, [`/tmp/${group}.zip`, path.basename(zips[i])]])));
const { split } = pyodide.pyimport("precompile_stdlib");
const counts = split("/tmp/python_stdlib.zip", outputs, measured);
for (const [i, group] of GROUPS.entries()) await writeFile(zips[i], pyodide.FS.readFile(`/tmp/${group}.zip`));
for (const [archive, [modules, bytecode]] of Object.entries(counts.toJs({ dict_converter: Object.fromEntries })))
  console.log(`stdlib ${archive}: ${modules} modules, ${bytecode} as bytecode`);
