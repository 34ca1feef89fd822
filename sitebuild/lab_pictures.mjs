// The build's side of the lab pictures: the browser's own chart code, run under Node.
// Reads a JSON list of {data, language, title, prefix} on stdin and writes the list of
// their static panels, as markup, on stdout. sitebuild/bundle.py bundles it for Node.
import { staticPanel, toMarkup } from "../browser/lab-chart.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const pictures = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const markup = pictures.map(({ data, language, title, prefix }) => toMarkup(staticPanel(data, language, title, prefix)));
process.stdout.write(JSON.stringify(markup));
