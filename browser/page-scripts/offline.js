// Offline reading: registers the site's service worker and shows, in the footer, whether
// this site (and Python for the demos) is saved in this browser for offline use.
(() => {
  if (!("serviceWorker" in navigator)) return;
  const root = new URL("../../", document.currentScript.src);
  // browser/lang.js's rule (English only when <html lang> says so, else the site's default
  // Vietnamese), inlined: this classic script is copied as it is and cannot import.
  const vi = (document.documentElement.lang || "vi").slice(0, 2) !== "en";
  const text = vi
    ? {
        saving: "Đang lưu trang để đọc offline…",
        notSaved: "Trang chưa được lưu để đọc offline.",
        saveSite: "Lưu để đọc offline",
        ready: "✓ Trang này đọc được cả khi offline.",
        python: "✓ Python cho các ví dụ cũng đã sẵn sàng offline.",
        save: "Lưu cả Python để chạy ví dụ khi offline (khoảng 25 MB)",
        savingPython: "Đang lưu Python…",
      }
    : {
        saving: "Saving this site for offline reading…",
        notSaved: "This site is not saved for offline reading.",
        saveSite: "Save for offline reading",
        ready: "✓ This site works offline too.",
        python: "✓ Python for the demos is ready offline as well.",
        save: "Also save Python to run the demos offline (about 25 MB)",
        savingPython: "Saving Python…",
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

  function button(label, onClick) {
    const node = document.createElement("button");
    node.type = "button";
    node.className = "md-button";
    node.textContent = label;
    node.addEventListener("click", onClick);
    return node;
  }

  async function save(registration, type, node) {
    node.disabled = true;
    node.textContent = type === "save-site" ? text.saving : text.savingPython;
    const result = await ask(registration.active, { type });
    if (!result.saved) indicator().dataset.error = result.error;
    show(registration);
  }

  async function show(registration) {
    const box = indicator();
    const status = await ask(registration.active, { type: "status" });
    box.dataset.site = status.site ? "ready" : "missing";
    box.dataset.python = status.python ? "ready" : "missing";
    if (!status.site) {
      const saveSite = button(text.saveSite, () => save(registration, "save-site", saveSite));
      saveSite.classList.add("offline-save-site");
      box.replaceChildren(text.notSaved, " ", saveSite);
      return;
    }
    box.replaceChildren(text.ready);
    if (status.python) box.append(" ", text.python);
    else {
      const savePython = button(text.save, () => save(registration, "save-python", savePython));
      savePython.classList.add("offline-save-python");
      box.append(" ", savePython);
    }
  }

  // Save the site for offline reading once the page is idle, so that the first visit
  // stays light; readers who asked their browser to save data are not charged for it.
  const whenIdle = () => new Promise((resolve) => (window.requestIdleCallback || setTimeout)(resolve, { timeout: 3000 }));
  // A Run that is loading Python comes first: the page marks it on <html> (the attribute is
  // python-worker-client.js's LOADING_ATTRIBUTE). The service worker also pauses a save in
  // progress while it serves the runtime's requests (service-worker.js, runtimeQuiet).
  const page = document.documentElement;
  const pythonLoaded = () =>
    new Promise((resolve) => {
      const check = () => !page.hasAttribute("data-python-loading") && (watcher.disconnect(), resolve());
      const watcher = new MutationObserver(check);
      watcher.observe(page, { attributes: true, attributeFilter: ["data-python-loading"] });
      check();
    });

  window.addEventListener("load", async () => {
    // `mkdocs serve` rebuilds on every edit: a cache there would only get in the way.
    if (typeof window.livereload === "function") {
      const registrations = await navigator.serviceWorker.getRegistrations();
      await Promise.all(registrations.map((r) => r.unregister()));
      return;
    }
    await navigator.serviceWorker.register(new URL("sw.js", root), { scope: root.href });
    const registration = await navigator.serviceWorker.ready;
    const status = await ask(registration.active, { type: "status" });
    if (!status.site && !navigator.connection?.saveData) {
      indicator().textContent = text.saving;
      await whenIdle();
      await pythonLoaded();
      await ask(registration.active, { type: "save-site" });
    }
    show(registration);
  });
})();
