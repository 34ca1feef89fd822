// What a share link holds, as a URL fragment: "#share=1.<kind>.<target>.<payload>", where
// the payload is base64url(deflate-raw(JSON)). Pure: no DOM, only the browser's own
// CompressionStream, so no library is downloaded. Errors come back as data.
import { KIND, SHARE_KEY } from "./share-key.js";

export { KIND, isShareHash } from "./share-key.js";
/** The format's version: a link of any other version is refused, not guessed at. */
const VERSION = "1";
/** Why a link could not be read or written. */
export const SHARE_ERROR = Object.freeze({
  tooLong: "too-long",
  corrupt: "corrupt",
  unknownTarget: "unknown-target",
  version: "version",
});
// The fragment's longest length, in characters. Chat apps, mail clients and link
// shorteners cut or refuse links past about 8 KB (8192 characters in all); 6000 for the
// fragment leaves the rest for the page's address and the embed query. Deflate makes that
// about 15 to 20 KB of Python.
export const MAX_FRAGMENT_CHARS = 6000;
// Deflate can expand a fragment about a thousandfold: no link may make the page inflate
// more than this, in bytes of JSON (far more than any code that fits a link when shared).
const MAX_JSON_BYTES = 256 * 1024;
const FORMAT = "deflate-raw";

function toBase64url(bytes) {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

async function deflate(text) {
  const stream = new Blob([new TextEncoder().encode(text)]).stream().pipeThrough(new CompressionStream(FORMAT));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The inflated text, or null once it passes MAX_JSON_BYTES (read piece by piece to know). */
async function inflate(bytes) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream(FORMAT)).getReader();
  const pieces = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_JSON_BYTES) {
      reader.cancel();
      return null;
    }
    pieces.push(value);
  }
  return new TextDecoder("utf-8", { fatal: true }).decode(await new Blob(pieces).arrayBuffer());
}

/** The fragment, without "#", for `data` shown by the block `target` of `kind`; or {error}. */
export async function encodeShare(kind, target, data) {
  const payload = toBase64url(await deflate(JSON.stringify(data)));
  const fragment = `${SHARE_KEY}${VERSION}.${kind}.${encodeURIComponent(target)}.${payload}`;
  return fragment.length > MAX_FRAGMENT_CHARS ? { error: SHARE_ERROR.tooLong } : { fragment };
}

/** {kind, target, data} from `hash` (location.hash, a share link), or {error}. */
export async function decodeShare(hash) {
  const fragment = hash.slice(1);
  if (fragment.length > MAX_FRAGMENT_CHARS) return { error: SHARE_ERROR.tooLong };
  const fields = fragment.slice(SHARE_KEY.length).split(".");
  if (fields[0] !== VERSION) return { error: SHARE_ERROR.version };
  // The target (a snippet path) may hold dots; the version, kind and payload never do.
  if (fields.length < 4) return { error: SHARE_ERROR.corrupt };
  const [kind, payload] = [fields[1], fields.at(-1)];
  if (!Object.values(KIND).includes(kind)) return { error: SHARE_ERROR.unknownTarget };
  try {
    const target = decodeURIComponent(fields.slice(2, -1).join("."));
    const json = await inflate(fromBase64url(payload));
    if (json === null) return { error: SHARE_ERROR.tooLong };
    const data = JSON.parse(json);
    return wellFormed(kind, data) ? { kind, target, data } : { error: SHARE_ERROR.corrupt };
  } catch {
    return { error: SHARE_ERROR.corrupt }; // bad base64, bad deflate, bad UTF-8 or bad JSON
  }
}

const isRecord = (value) => typeof value === "object" && value !== null && !Array.isArray(value);
const isScalar = (value) => ["string", "number", "boolean"].includes(typeof value);

/** Whether `data` has the shape its kind needs; its values are the block's to judge. */
function wellFormed(kind, data) {
  if (!isRecord(data)) return false;
  if (kind === KIND.code) return typeof data.code === "string";
  const setups = data.setups;
  return Array.isArray(setups) && setups.length > 0 && setups.every((s) => isRecord(s) && Object.values(s).every(isScalar));
}
