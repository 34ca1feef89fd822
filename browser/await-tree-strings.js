// Interface strings of the await tree panel, in the page's language. What a task awaits
// and how it stands are named by protocol.js (AWAIT_KIND, TASK_STATE); the words are here.
import { pageLanguage } from "./lang.js";
import { AWAIT_KIND, TASK_STATE } from "./protocol.js";

const seconds = (ms, language) => (ms / 1000).toLocaleString(language, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

const STRINGS = {
  vi: {
    title: "Cây await",
    explain: "Các task của lần chạy này, mỗi task đang ở dòng nào và đang await gì, cập nhật trong lúc code chạy.",
    line: (n) => `dòng ${n}`,
    // Python's own spelling (sleep(0.3)) stays as code: it is what the reader wrote.
    awaits: {
      [AWAIT_KIND.sleep]: (a) => `đang await sleep(${a.delay})`,
      [AWAIT_KIND.task]: (a) => `đang await task ${a.task}`,
      [AWAIT_KIND.gather]: (a) => `đang await gather của ${a.count} task`,
      [AWAIT_KIND.future]: () => "đang await một future",
      [AWAIT_KIND.ready]: () => "sẵn sàng chạy tiếp",
    },
    timeout: (s) => `bên trong wait_for với timeout ${s} giây`,
    state: {
      [TASK_STATE.done]: "đã xong",
      [TASK_STATE.failed]: "kết thúc vì lỗi",
      [TASK_STATE.cancelled]: "đã hủy",
    },
    more: (n) => `… và ${n.toLocaleString("vi")} task khác`,
    empty: "Không có task nào để hiện.",
    frozen: "Event loop không phản hồi: một lời gọi chặn đang giữ nó, nên mọi task đều phải chờ.",
    gap: (ms) => `Event loop đã không phản hồi suốt ${seconds(ms, "vi")} giây: cây đứng yên trong lúc một lời gọi chặn giữ loop.`,
    finished: "Đã chạy xong: cây cho thấy trạng thái cuối cùng của các task.",
  },
  en: {
    title: "Await tree",
    explain: "The tasks of this run, the line each one is at and what it awaits, refreshed while the code runs.",
    line: (n) => `line ${n}`,
    awaits: {
      [AWAIT_KIND.sleep]: (a) => `awaits sleep(${a.delay})`,
      [AWAIT_KIND.task]: (a) => `awaits task ${a.task}`,
      [AWAIT_KIND.gather]: (a) => `awaits a gather of ${a.count} tasks`,
      [AWAIT_KIND.future]: () => "awaits a future",
      [AWAIT_KIND.ready]: () => "ready to go on",
    },
    timeout: (s) => `inside wait_for with a ${s} s timeout`,
    state: {
      [TASK_STATE.done]: "done",
      [TASK_STATE.failed]: "ended with an error",
      [TASK_STATE.cancelled]: "cancelled",
    },
    more: (n) => `… and ${n.toLocaleString("en")} more tasks`,
    empty: "No task to show.",
    frozen: "The event loop is not answering: a blocking call holds it, so every task waits.",
    gap: (ms) => `The event loop did not answer for ${seconds(ms, "en")} s: the tree stood still while a blocking call held the loop.`,
    finished: "Finished: the tree shows the final state of the tasks.",
  },
};

/** The await tree's strings in the page's language. */
export function awaitTreeStrings() {
  return STRINGS[pageLanguage()];
}
