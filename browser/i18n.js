// Interface strings of the runnable blocks and the lab, in the page's language.
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
    outputLimit: "Chương trình in quá nhiều nên đã bị dừng (giới hạn đầu ra).",
    crashed: "Môi trường Python bị sập (có thể do hết bộ nhớ). Nhấn Chạy để khởi động lại.",
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
    outputLimit: "The program printed too much and was stopped (output limit).",
    crashed: "The Python runtime crashed (maybe out of memory). Press Run to start it again.",
    hint: "Ctrl/⌘+Enter runs. In the code, Tab indents; press Esc then Tab to leave the code.",
    codeLabel: (name) => `Editable Python code: ${name}`,
    edited: "Edited (kept in this browser)",
  },
};

export function strings() {
  const lang = (document.documentElement.lang || "vi").slice(0, 2);
  return STRINGS[lang] || STRINGS.en;
}
