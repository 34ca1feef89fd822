// Interface strings of the runnable blocks, in the page's language.
import { pageLanguage } from "./lang.js";
import { CRASH } from "./protocol.js";

const STRINGS = {
  vi: {
    run: "Chạy",
    stop: "Dừng",
    reset: "Khôi phục",
    output: "Kết quả",
    loading: "Đang tải Python…",
    loadingPackages: "Đang tải thư viện…",
    running: "Đang chạy…",
    done: (ms) => `Xong trong ${ms} ms`,
    stopped: "Đã dừng",
    error: "Lỗi",
    outputLimit: (chars) =>
      `Đầu ra bị cắt ở ${chars.toLocaleString("vi")} ký tự (giới hạn đầu ra): chương trình in quá nhiều nên đã bị dừng.`,
    inputUnavailable:
      "input() không dùng được ở đây: code chạy trong trang không đọc được bàn phím. Hãy gán thẳng giá trị cho biến thay vì gọi input().",
    stdlibUnavailable:
      "Mô-đun này thuộc phần thư viện chuẩn chỉ được tải về khi cần, nhưng lúc này không tải được (có thể do đang offline). Hãy kiểm tra kết nối mạng rồi nhấn Chạy để thử lại.",
    restarted: "Python đã được khởi động lại",
    crashed: {
      [CRASH.exited]: (why) => `Python đã thoát hẳn${why} nên worker chạy nó cũng dừng theo. Python đã được khởi động lại: nhấn Chạy để chạy tiếp.`,
      [CRASH.failed]: (why) =>
        `Python gặp lỗi không thể phục hồi${why}, có thể do đệ quy quá sâu hoặc hết bộ nhớ. Python đã được khởi động lại: nhấn Chạy để thử lại.`,
      [CRASH.vanished]: () => "Worker chạy Python đã kết thúc đột ngột (chẳng hạn code đã gọi js.close()). Python đã được khởi động lại: nhấn Chạy để thử lại.",
      [CRASH.loadFailed]: (why) => `Không tải được Python${why}. Hãy kiểm tra kết nối mạng rồi nhấn Chạy để thử lại.`,
      [CRASH.loadStalled]: (why, seconds) =>
        `Tải Python không tiến triển gì suốt ${seconds} giây nên đã bị hủy. Hãy kiểm tra kết nối mạng rồi nhấn Chạy để thử lại.`,
    },
    hint: "Ctrl/⌘+Enter để chạy. Trong ô code, Tab để thụt lề; nhấn Esc rồi Tab để rời ô code.",
    codeLabel: (name) => `Code Python có thể sửa: ${name}`,
    edited: "Đã sửa (lưu trong trình duyệt này)",
  },
  en: {
    run: "Run",
    stop: "Stop",
    reset: "Reset",
    output: "Output",
    loading: "Loading Python…",
    loadingPackages: "Loading packages…",
    running: "Running…",
    done: (ms) => `Done in ${ms} ms`,
    stopped: "Stopped",
    error: "Error",
    outputLimit: (chars) =>
      `Output cut at ${chars.toLocaleString("en")} characters (output limit): the program printed too much and was stopped.`,
    inputUnavailable:
      "input() is not available here: code running in the page cannot read the keyboard. Assign the value to a variable instead of calling input().",
    stdlibUnavailable:
      "This module is in the part of the standard library that is fetched only when needed, and it could not be fetched now (offline, perhaps). Check the connection, then press Run to try again.",
    restarted: "Python restarted",
    crashed: {
      [CRASH.exited]: (why) => `Python exited${why}, which ended the worker running it. Python was restarted: press Run to go on.`,
      [CRASH.failed]: (why) =>
        `Python hit an error it cannot recover from${why}, perhaps recursion too deep or memory exhausted. Python was restarted: press Run to try again.`,
      [CRASH.vanished]: () => "The worker running Python ended suddenly (the code called js.close(), say). Python was restarted: press Run to try again.",
      [CRASH.loadFailed]: (why) => `Python could not be loaded${why}. Check the connection, then press Run to try again.`,
      [CRASH.loadStalled]: (why, seconds) =>
        `Loading Python made no progress for ${seconds} seconds and was given up. Check the connection, then press Run to try again.`,
    },
    hint: "Ctrl/⌘+Enter runs. In the code, Tab indents; press Esc then Tab to leave the code.",
    codeLabel: (name) => `Editable Python code: ${name}`,
    edited: "Edited (kept in this browser)",
  },
};

/**
 * The runnable blocks' strings in the page's language. `crashed[cause](why, seconds)`
 * (cause: a protocol.CRASH) takes `why`, the error's own words in parentheses or "".
 */
export function strings() {
  return STRINGS[pageLanguage()];
}
