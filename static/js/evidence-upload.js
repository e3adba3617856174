/* Drag-and-drop upload of evidence PDFs with a progress bar per file. No dependencies.
 *
 * Markup: a <form data-evidence-upload data-upload-url=… data-list-target="#…" data-max-bytes=…>
 * holding a csrf token, an <input type=file data-file-input> and a <ul data-queue>.
 * Each file is sent on its own (XMLHttpRequest, Accept: application/json) so each gets its own
 * bar and its own result; after each one the list (data-list-target, which carries
 * data-list-url) is reloaded. Works without htmx; calls htmx.process on the new list if present.
 */
(function () {
  "use strict";

  function fmtSize(bytes) {
    var mb = bytes / (1024 * 1024);
    if (mb >= 1) return mb.toFixed(1).replace(".", ",").replace(/,0$/, "") + " MB";
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function refreshList(zone) {
    var target = document.querySelector(zone.dataset.listTarget);
    if (!target || !target.dataset.listUrl) return Promise.resolve();
    return fetch(target.dataset.listUrl, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var tmp = document.createElement("div");
        tmp.innerHTML = html.trim();
        var fresh = tmp.firstElementChild;
        if (!fresh) return;
        target.replaceWith(fresh);
        if (window.htmx) window.htmx.process(fresh);
      });
  }

  function setup(zone) {
    var input = zone.querySelector("[data-file-input]");
    var queue = zone.querySelector("[data-queue]");
    var tokenInput = zone.querySelector("input[name=csrfmiddlewaretoken]");
    var token = tokenInput ? tokenInput.value : "";
    var maxBytes = parseInt(zone.dataset.maxBytes || "0", 10);
    var pending = [];
    var busy = false;

    function row(file) {
      var li = el("li");
      var head = el("div", "d-flex justify-content-between gap-2 small");
      head.appendChild(el("span", "text-break fw-semibold", file.name));
      head.appendChild(el("span", "text-body-secondary text-nowrap", fmtSize(file.size)));
      var bar = el("div", "progress-bar");
      bar.style.width = "0%";
      bar.setAttribute("role", "progressbar");
      bar.setAttribute("aria-valuemin", "0");
      bar.setAttribute("aria-valuemax", "100");
      bar.setAttribute("aria-label", "Tiến độ tải lên " + file.name);
      var progress = el("div", "progress mt-1");
      progress.appendChild(bar);
      var status = el("div", "small text-body-secondary mt-1", "Đang chờ…");
      li.appendChild(head);
      li.appendChild(progress);
      li.appendChild(status);
      queue.appendChild(li);
      return { li: li, bar: bar, progress: progress, status: status };
    }

    function finish(ui, ok, message) {
      ui.bar.style.width = "100%";
      ui.bar.classList.add(ok ? "bg-success" : "bg-danger");
      ui.status.className = "small mt-1 " + (ok ? "text-success" : "text-danger");
      ui.status.textContent = message;
    }

    function next() {
      if (busy) return;
      var job = pending.shift();
      if (!job) return;
      busy = true;
      var file = job.file, ui = job.ui;
      if (maxBytes && file.size > maxBytes) {
        finish(ui, false, "Tệp '" + file.name + "' có dung lượng " + fmtSize(file.size) +
          ", vượt quá giới hạn " + fmtSize(maxBytes) + " cho mỗi tệp.");
        busy = false;
        next();
        return;
      }
      var data = new FormData();
      data.append("files", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", zone.dataset.uploadUrl);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-CSRFToken", token);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      ui.status.textContent = "Đang tải lên…";
      xhr.upload.onprogress = function (e) {
        if (!e.lengthComputable) return;
        var pct = Math.round((e.loaded / e.total) * 100);
        ui.bar.style.width = pct + "%";
        ui.bar.setAttribute("aria-valuenow", String(pct));
        ui.status.textContent = pct >= 100 ? "Đang kiểm tra tệp và chữ ký số…" : "Đang tải lên… " + pct + "%";
      };
      xhr.onload = function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
        if (body && body.results && body.results.length) {
          var r = body.results[0];
          finish(ui, r.ok, r.message);
        } else if (body && body.error) {
          finish(ui, false, body.error);
        } else if (xhr.status === 403) {
          finish(ui, false, "Bạn không có quyền đính kèm tài liệu ở tiêu chí này.");
        } else {
          finish(ui, false, "Không tải lên được (lỗi máy chủ " + xhr.status + "). Vui lòng thử lại.");
        }
        refreshList(zone).finally(function () { busy = false; next(); });
      };
      xhr.onerror = function () {
        finish(ui, false, "Mất kết nối khi tải lên '" + file.name + "'. Vui lòng thử lại.");
        busy = false;
        next();
      };
      xhr.send(data);
    }

    function add(files) {
      Array.prototype.forEach.call(files, function (file) {
        pending.push({ file: file, ui: row(file) });
      });
      next();
    }

    zone.addEventListener("submit", function (e) { e.preventDefault(); });
    if (input) {
      input.addEventListener("change", function () {
        add(input.files);
        input.value = "";
      });
    }
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (e) {
        e.preventDefault();
        zone.classList.add("is-dragover");
      });
    });
    ["dragleave", "dragend"].forEach(function (name) {
      zone.addEventListener(name, function (e) {
        if (e.target === zone) zone.classList.remove("is-dragover");
      });
    });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      zone.classList.remove("is-dragover");
      if (e.dataTransfer && e.dataTransfer.files) add(e.dataTransfer.files);
    });
  }

  function init(root) {
    (root || document).querySelectorAll("[data-evidence-upload]").forEach(function (zone) {
      if (zone.dataset.evidenceReady) return;
      zone.dataset.evidenceReady = "1";
      setup(zone);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(); });
  } else {
    init();
  }
  document.addEventListener("htmx:load", function (e) { init(e.target); });
  window.parindexEvidenceInit = init;
})();
