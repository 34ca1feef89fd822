// Offline reading: registers the site's service worker and shows, in the footer, whether
// this site (and Python for the demos) is saved in this browser for offline use.
(() => {
  if (!("serviceWorker" in navigator)) return;
  const root = new URL("../../", document.currentScript.src);
  const vi = (document.documentElement.lang || "vi").startsWith("vi");
  const text = vi
    ? {
        saving: "Đang lưu trang để đọc offline…",
        ready: "✓ Trang này đọc được cả khi offline.",
        python: "✓ Python cho các ví dụ cũng đã sẵn sàng offline.",
        save: "Lưu cả Python để chạy ví dụ khi offline (khoảng 25 MB)",
        savingPython: "Đang lưu Python…",
        failed: "Chưa lưu được Python; hãy thử lại khi có mạng.",
      }
    : {
        saving: "Saving this site for offline reading…",
        ready: "✓ This site works offline too.",
        python: "✓ Python for the demos is ready offline as well.",
        save: "Also save Python to run the demos offline (about 25 MB)",
        savingPython: "Saving Python…",
        failed: "Python could not be saved; try again when online.",
      };

  function indicator() {
    let box = document.querySelector(".offline-status");
    if (!box) {
      box = document.createElement("div");
      box.className = "offline-status";
      box.setAttribute("role", "status");
      const footer = document.querySelector(".md-footer-meta__inner") || document.body;
      footer.append(box);
    }
    return box;
  }

  function ask(worker, message) {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => resolve(event.data);
      worker.postMessage(message, [channel.port2]);
    });
  }

  async function show(registration) {
    const box = indicator();
    const worker = registration.active;
    if (!worker) return;
    const status = await ask(worker, { type: "status" });
    box.dataset.site = status.site ? "ready" : "saving";
    box.dataset.python = status.python ? "ready" : "missing";
    box.replaceChildren(document.createTextNode(status.site ? text.ready : text.saving));
    if (status.python) box.append(" ", text.python);
    else if (status.site) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "md-button offline-save-python";
      button.textContent = text.save;
      button.addEventListener("click", async () => {
        button.disabled = true;
        button.textContent = text.savingPython;
        const result = await ask(worker, { type: "save-python" });
        if (result.saved) show(registration);
        else {
          button.disabled = false;
          button.textContent = `${text.failed} ${text.save}`;
        }
      });
      box.append(" ", button);
    }
  }

  window.addEventListener("load", async () => {
    // `mkdocs serve` rebuilds on every edit: a cache there would only get in the way.
    if (typeof window.livereload === "function") {
      const registrations = await navigator.serviceWorker.getRegistrations();
      await Promise.all(registrations.map((r) => r.unregister()));
      return;
    }
    indicator().textContent = text.saving;
    await navigator.serviceWorker.register(new URL("sw.js", root), { scope: root.href });
    show(await navigator.serviceWorker.ready);
  });
})();
