// Interface strings of sharing and embedding, in the page's language (but for the Share
// button's own label, in share-control.js: every page needs it at load).
import { pageLanguage } from "./lang.js";
import { SHARE_ERROR } from "./share-link.js";

const STRINGS = {
  vi: {
    link: "Liên kết chia sẻ",
    embed: "Mã nhúng (iframe)",
    copied: "Đã chép liên kết vào clipboard.",
    copyRefused: "Trình duyệt không cho chép tự động: hãy chọn và chép liên kết.",
    tooLong: (chars) =>
      `Code quá dài để chia sẻ bằng liên kết (sau khi nén vẫn vượt ${chars.toLocaleString("vi")} ký tự). Hãy rút gọn code rồi thử lại.`,
    sharedCode: (reset) => `Đây là phiên bản được chia sẻ: code lấy từ liên kết và chưa chạy. ${reset} đưa block về code của trang.`,
    sharedLab: (reset) =>
      `Đây là phiên bản được chia sẻ: thông số lấy từ liên kết và chưa được mô phỏng. ${reset} đưa lab về cấu hình có sẵn của trang.`,
    open: (site) => `Mở trên ${site}`,
    errors: {
      [SHARE_ERROR.tooLong]: "Liên kết chia sẻ quá dài nên không mở được. Trang đang hiện nội dung gốc.",
      [SHARE_ERROR.corrupt]: "Liên kết chia sẻ bị hỏng (có thể bị cắt mất một đoạn khi gửi). Trang đang hiện nội dung gốc.",
      [SHARE_ERROR.unknownTarget]:
        "Liên kết chia sẻ trỏ tới một block không có trên trang này (có thể trang đã thay đổi). Trang đang hiện nội dung gốc.",
      [SHARE_ERROR.version]: "Liên kết chia sẻ do một phiên bản khác của trang tạo ra nên không đọc được. Trang đang hiện nội dung gốc.",
    },
  },
  en: {
    link: "Share link",
    embed: "Embed code (iframe)",
    copied: "Link copied to the clipboard.",
    copyRefused: "The browser refused to copy: select and copy the link.",
    tooLong: (chars) =>
      `This code is too long to share as a link (over ${chars.toLocaleString("en")} characters even compressed). Shorten it and try again.`,
    sharedCode: (reset) => `This is a shared version: the code comes from the link and has not run. ${reset} brings back the page's own code.`,
    sharedLab: (reset) =>
      `This is a shared version: the parameters come from the link and have not been simulated. ${reset} brings back the page's own preset.`,
    open: (site) => `Open in ${site}`,
    errors: {
      [SHARE_ERROR.tooLong]: "The share link is too long to open. The page shows its own content.",
      [SHARE_ERROR.corrupt]: "The share link is damaged (perhaps cut short when it was sent). The page shows its own content.",
      [SHARE_ERROR.unknownTarget]: "The share link points to a block that is not on this page (the page may have changed). The page shows its own content.",
      [SHARE_ERROR.version]: "The share link was made by another version of this site and cannot be read. The page shows its own content.",
    },
  },
};

/** Sharing's strings in the page's language; `errors` is keyed by share-link's SHARE_ERROR,
 * and the notes name the Reset button with `reset`, its label (i18n.js). */
export function shareStrings() {
  return STRINGS[pageLanguage()];
}
