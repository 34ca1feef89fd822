// The Python runtime's largest files and its wheels come as zstd twins (sitebuild/pyodide/
// twins.py says which, and why): the worker fetches name + suffix and decodes it here with
// fzstd, as the bytes arrive, so that Pyodide gets the very file it asked for.
import { Decompress, decompress } from "fzstd";
import twins from "runtime-twins.json";

// What Pyodide needs to be told a decoded file is: the wasm streams into compilation only
// with its own type. A twinned file of another kind fails here, loudly.
const TYPES = new Map([
  [".wasm", "application/wasm"],
  [".zip", "application/zip"],
  [".whl", "application/zip"],
]);

/** The twin's URL for `url` (a file under `base`), or null when that file has none. */
export function twinOf(url, base) {
  const name = url.startsWith(base) ? url.slice(base.length) : null;
  const twinned = name !== null && (twins.files.includes(name) || twins.extensions.some((end) => name.endsWith(end)));
  return twinned ? url + twins.suffix : null;
}

function typeOf(url) {
  const type = TYPES.get(url.slice(url.lastIndexOf(".")));
  if (!type) throw new Error(`no content type for the twinned file ${url}`);
  return type;
}

/** A stream that turns zstd bytes into the bytes they encode, block by block. */
function zstdDecoder() {
  let decoder;
  return new TransformStream({
    start(controller) {
      decoder = new Decompress((block) => controller.enqueue(block));
    },
    transform(chunk) {
      decoder.push(chunk);
    },
    flush() {
      decoder.push(new Uint8Array(0), true);
    },
  });
}

/** The decoded file `url` from its twin's response (a failed one is given back as it is). */
export function decodedResponse(twinResponse, url) {
  if (!twinResponse.ok) return twinResponse;
  return new Response(twinResponse.body.pipeThrough(zstdDecoder()), {
    status: twinResponse.status,
    statusText: twinResponse.statusText,
    headers: { "Content-Type": typeOf(url) },
  });
}

/** The decoded bytes of a whole twin. */
export const decodedBytes = (bytes) => decompress(bytes);

const BASE64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));

/**
 * The decoded file `url` from its twin's response, once its bytes match `integrity` (the
 * "sha256-<base64>" Pyodide asks fetch() to check, which the browser would check against the
 * twin): a mismatch fails as fetch() fails then, with a TypeError.
 * https://w3c.github.io/webappsec-subresource-integrity/#does-response-match-metadatalist
 */
export async function verifiedResponse(twinResponse, url, integrity) {
  if (!twinResponse.ok) return twinResponse;
  const [algorithm, expected] = integrity.split(/-(.*)/s);
  if (algorithm !== "sha256") throw new TypeError(`${url}: cannot check a ${algorithm} integrity`);
  const bytes = decompress(new Uint8Array(await twinResponse.arrayBuffer()));
  if (BASE64(await crypto.subtle.digest("SHA-256", bytes)) !== expected) {
    throw new TypeError(`${url} does not match its integrity hash`);
  }
  const { status, statusText } = twinResponse;
  return new Response(bytes, { status, statusText, headers: { "Content-Type": typeOf(url) } });
}
