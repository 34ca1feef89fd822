// Which challenges this reader has solved, kept in localStorage under one key for the
// whole site: a challenge's slug is its file name, the same in both languages, so progress
// made on a Vietnamese page shows on the English one too.
const KEY = "wsgi-hay-asgi:challenges";
// Where storage is refused (private modes, blocked cookies), progress lives in memory.
let memory = null;

function read() {
  if (memory) return memory;
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) || "[]");
    return new Set(Array.isArray(saved) ? saved.filter((slug) => typeof slug === "string") : []);
  } catch (error) {
    // Unreadable JSON is a fresh start; refused storage keeps progress in memory.
    if (!(error instanceof SyntaxError)) memory = new Set();
    return memory ?? new Set();
  }
}

/** The slugs of the challenges solved so far. */
export function solvedChallenges() {
  return read();
}

/** Whether progress is kept beyond this page (false when storage is refused). */
export function progressKept() {
  read();
  return memory === null;
}

/** Remember that the challenge `slug` is solved. */
export function markSolved(slug) {
  const solved = read();
  solved.add(slug);
  if (memory) return;
  try {
    localStorage.setItem(KEY, JSON.stringify([...solved]));
  } catch {
    memory = solved;
  }
}
