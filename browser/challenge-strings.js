// Interface strings of the challenges and of the home page's progress, in the page's language.
// The words inside a challenge (its question, choices, explanation, "Answer") are the build's,
// from the challenge file and sitebuild/challenges.py.
import { pageLanguage } from "./lang.js";

const STRINGS = {
  vi: {
    check: "Kiểm tra",
    showAnswer: "Xem đáp án",
    right: "Đúng rồi!",
    wrong: "Chưa đúng.",
    chooseFirst: "Hãy chọn một đáp án trước đã.",
    numberFirst: "Hãy nhập một con số trước đã.",
    tooHigh: "Con số bạn nhập cao hơn kết quả của mô hình.",
    tooLow: "Con số bạn nhập thấp hơn kết quả của mô hình.",
    readAgain: "Gợi ý: đọc lại phần",
    checking: "Đang chạy code của bạn để kiểm tra…",
    notRun: "Code chưa chạy trọn vẹn (bị lỗi hoặc bị dừng) nên chưa kiểm tra được. Xem phần Kết quả bên dưới code, sửa lỗi rồi nhấn Kiểm tra lại.",
    solvedBefore: "Bạn đã giải thử thách này.",
    solved: (n, total) => `bạn đã giải ${n}/${total}`,
    total: (n, total) => `Bạn đã giải ${n} trên ${total} thử thách của cả trang web.`,
    storageOff: "Trình duyệt đang chặn bộ nhớ cục bộ (localStorage), nên tiến độ chỉ được giữ đến khi đóng trang.",
  },
  en: {
    check: "Check",
    showAnswer: "Show answer",
    right: "Right!",
    wrong: "Not quite.",
    chooseFirst: "Choose an answer first.",
    numberFirst: "Enter a number first.",
    tooHigh: "Your figure is higher than the model's.",
    tooLow: "Your figure is lower than the model's.",
    readAgain: "Hint: read again",
    checking: "Running your code, then checking it…",
    notRun: "The code did not run to its end (an error, or it was stopped), so it could not be checked. See the Output under the code, fix it, then press Check again.",
    solvedBefore: "You have solved this challenge.",
    solved: (n, total) => `you solved ${n} of ${total}`,
    total: (n, total) => `You have solved ${n} of the site's ${total} challenges.`,
    storageOff: "This browser blocks local storage, so your progress lasts only until the page closes.",
  },
};

/** The challenges' strings in the page's language. */
export function challengeStrings() {
  return STRINGS[pageLanguage()];
}
