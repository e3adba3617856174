/* The self-assessment table: autosave of every leaf, conflicts, offline drafts, tabs.
 *
 * Each leaf is a <form data-entry-form data-entry=ID data-version=N action=autosave-url>.
 * A change (or 800 ms after the last keystroke) posts the whole leaf (value, value2, na,
 * explanation, version) to the autosave endpoint, which answers JSON:
 *   200 {ok, version, score, score_note, na, saved_at, subtotals, submax, total, max}
 *   400 {error}                      bad value: shown next to the field, nothing saved
 *   409 {conflict, theirs:{…}}       someone else saved first: the conflict dialog
 *   403 {locked, error}              deadline passed / status changed: fields disabled
 * A lost connection keeps the value in the field and in localStorage and retries; on reload,
 * drafts based on the version the server still has are offered back. No dependencies
 * (Bootstrap's Modal/Tab are used when present).
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-workspace]");
  if (!root) return;
  var assessmentId = root.dataset.assessment;
  var editable = root.dataset.editable === "1";
  var DRAFT_PREFIX = "parindex:draft:" + assessmentId + ":";
  var DELAY = 800;
  var states = {}; // entry id -> {timer, inflight, dirty, retry, retryTimer, failed}
  var summary = document.querySelector("[data-save-summary]");
  // The words a yes/no leaf accepts: the engine's own list, rendered into the page.
  var words = { yes: [], no: [] };
  try {
    words = JSON.parse(document.getElementById("pi-boolean-words").textContent);
  } catch (e) { /* no list: only the radio values themselves match */ }
  function isWord(kind, value) {
    var v = String(value || "").trim().toLowerCase().normalize("NFC");
    return (words[kind] || []).indexOf(v) !== -1;
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function vnPercent(x) {
    var s = (Math.round(x * 100) / 100).toFixed(2).replace(/\.?0+$/, "");
    return s.replace(".", ",") + " %";
  }

  // As the server reads it (common/numbers.py parse_vn_input): "1.000" is a thousand
  // (dots group digits by three), "1,5" and "1.234,5" have a decimal comma, "1.5" a point.
  function parseNum(text) {
    text = (text || "").trim().replace(/\s+/g, "");
    if (!text || !/^[+-]?[0-9.,]+$/.test(text)) return null;
    if (text.indexOf(",") >= 0) {
      text = text.replace(/\./g, "").replace(",", ".");
    } else if (/^[+-]?[1-9][0-9]{0,2}(\.[0-9]{3})+$/.test(text)) {
      text = text.replace(/\./g, "");
    }
    var n = Number(text);
    return isFinite(n) ? n : null;
  }

  function state(id) {
    if (!states[id]) states[id] = { timer: null, inflight: false, dirty: false, retry: 0 };
    return states[id];
  }

  function fields(form) {
    var data = { value: "", value2: "", na: false, explanation: "" };
    var checked = form.querySelector("input[name=value]:checked");
    var text = form.querySelector("input[name=value]:not([type=radio])");
    data.value = checked ? checked.value : text ? text.value : "";
    var v2 = form.querySelector("[name=value2]");
    data.value2 = v2 ? v2.value : "";
    var na = form.querySelector("[data-na]");
    data.na = !!(na && na.checked);
    var ex = form.querySelector("[name=explanation]");
    data.explanation = ex ? ex.value : "";
    return data;
  }

  function fill(form, data) {
    form.querySelectorAll("input[name=value][type=radio]").forEach(function (r) {
      r.checked = r.value.toLowerCase() === String(data.value || "").toLowerCase() ||
        (r.value === "yes" && isWord("yes", data.value)) ||
        (r.value === "no" && isWord("no", data.value));
    });
    var text = form.querySelector("input[name=value]:not([type=radio])");
    if (text) text.value = data.value || "";
    var v2 = form.querySelector("[name=value2]");
    if (v2) v2.value = data.value2 || "";
    var na = form.querySelector("[data-na]");
    if (na) na.checked = !!data.na;
    var ex = form.querySelector("[name=explanation]");
    if (ex) ex.value = data.explanation || "";
    applyNa(form);
    updateRatio(form);
  }

  function describe(form, data) {
    if (data.na) return "Không áp dụng";
    var checked = form.querySelector("input[name=value]:checked");
    if (checked) {
      var label = form.querySelector("label[for='" + checked.id + "']");
      return label ? label.textContent.trim() : checked.value;
    }
    if (form.querySelector("[name=value2]")) {
      return (data.value || "…") + "/" + (data.value2 || "…");
    }
    return data.value || "(trống)";
  }

  function setVersion(form, version) {
    form.dataset.version = String(version);
    var input = form.querySelector("input[name=version]");
    if (input) input.value = String(version);
  }

  function leafOf(form) {
    return form.closest("[data-leaf]");
  }

  function setState(form, cls, html) {
    var el = form.querySelector("[data-save-state]");
    if (!el) return;
    el.className = "pi-save-state " + (cls || "");
    el.innerHTML = html;
  }

  function setError(form, message) {
    var el = form.querySelector("[data-error]");
    if (el) el.textContent = message || "";
    form.querySelectorAll(".form-control, .form-check-input").forEach(function (input) {
      if (input.name === "explanation" || input.name === "na") return;
      input.classList.toggle("is-invalid", !!message);
    });
  }

  function updateSummary() {
    if (!summary || !editable) return;
    var pending = 0, failed = 0;
    Object.keys(states).forEach(function (id) {
      var s = states[id];
      if (s.failed) failed += 1;
      else if (s.inflight || s.timer || s.dirty || s.conflict) pending += 1;
    });
    if (failed) {
      summary.className = "ms-auto small text-danger fw-semibold";
      summary.innerHTML = '<i class="bi bi-wifi-off"></i> Chưa lưu — mất kết nối (' + failed +
        " tiêu chí). Đang thử lại…";
    } else if (pending) {
      summary.className = "ms-auto small text-body-secondary";
      summary.innerHTML = '<i class="bi bi-arrow-repeat"></i> Đang lưu hoặc chờ bạn xử lý…';
    } else {
      summary.className = "ms-auto small text-success";
      summary.innerHTML = '<i class="bi bi-cloud-check"></i> Đã lưu mọi thay đổi';
    }
  }

  // ---- drafts (localStorage) ----------------------------------------------------------

  function saveDraft(form) {
    try {
      var data = fields(form);
      data.version = parseInt(form.dataset.version || "0", 10);
      data.at = Date.now();
      localStorage.setItem(DRAFT_PREFIX + form.dataset.entry, JSON.stringify(data));
    } catch (e) { /* storage full or disabled: the field still holds the value */ }
  }

  function clearDraft(form) {
    try { localStorage.removeItem(DRAFT_PREFIX + form.dataset.entry); } catch (e) { /* */ }
  }

  function sameData(a, b) {
    return (a.value || "") === (b.value || "") && (a.value2 || "") === (b.value2 || "") &&
      !!a.na === !!b.na && (a.explanation || "").trim() === (b.explanation || "").trim();
  }

  function offerDrafts() {
    var found = [];
    document.querySelectorAll("[data-entry-form]").forEach(function (form) {
      var raw = null;
      try { raw = localStorage.getItem(DRAFT_PREFIX + form.dataset.entry); } catch (e) { raw = null; }
      if (!raw) return;
      var draft;
      try { draft = JSON.parse(raw); } catch (e) { draft = null; }
      var version = parseInt(form.dataset.version || "0", 10);
      if (!draft || draft.version < version || sameData(draft, fields(form))) {
        clearDraft(form); // saved meanwhile, or older than what the server has
        return;
      }
      found.push({ form: form, draft: draft });
    });
    var box = document.querySelector("[data-drafts]");
    if (!found.length || !box || !editable) return;
    box.querySelector("[data-drafts-text]").textContent =
      "Có " + found.length + " tiêu chí có thay đổi chưa lưu trên máy này (" +
      found.map(function (f) { return f.form.dataset.code; }).join(", ") +
      "), có thể do mất kết nối hoặc đóng trang trước khi lưu.";
    box.classList.remove("d-none");
    box.querySelector("[data-drafts-restore]").onclick = function () {
      found.forEach(function (f) {
        fill(f.form, f.draft);
        schedule(f.form, 0);
      });
      box.classList.add("d-none");
    };
    box.querySelector("[data-drafts-discard]").onclick = function () {
      found.forEach(function (f) { clearDraft(f.form); });
      box.classList.add("d-none");
    };
  }

  // ---- saving -------------------------------------------------------------------------

  function schedule(form, delay) {
    var s = state(form.dataset.entry);
    s.dirty = true;
    saveDraft(form);
    if (s.timer) clearTimeout(s.timer);
    s.timer = setTimeout(function () { s.timer = null; send(form, false); }, delay);
    setState(form, "text-body-secondary", '<i class="bi bi-pencil"></i> Chưa lưu…');
    updateSummary();
  }

  function send(form, force) {
    var s = state(form.dataset.entry);
    if (s.inflight) { s.dirty = true; return; }
    s.inflight = true;
    s.dirty = false;
    var data = fields(form);
    if (form.querySelector("[name=value2]") && !data.na &&
        (!data.value.trim() !== !data.value2.trim())) {
      // A ratio needs both numbers: wait for the other one (the draft keeps what was typed).
      s.inflight = false;
      setState(form, "text-body-secondary", '<i class="bi bi-info-circle"></i> Nhập cả tử số và mẫu số để lưu');
      updateSummary();
      return;
    }
    var body = new URLSearchParams();
    body.append("value", data.na ? "" : data.value);
    body.append("value2", data.na ? "" : data.value2);
    if (data.na) body.append("na", "1");
    body.append("explanation", data.explanation);
    body.append("version", form.dataset.version || "0");
    if (force) body.append("force", "1");
    setState(form, "text-body-secondary", '<i class="bi bi-arrow-repeat"></i> Đang lưu…');
    updateSummary();
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "X-CSRFToken": csrfToken(),
        "Accept": "application/json",
        "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
        "X-Requested-With": "XMLHttpRequest"
      },
      body: body
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (json) {
        return { status: response.status, json: json };
      });
    }).then(function (res) {
      s.inflight = false;
      var json = res.json || {};
      if (res.status === 200 && json.ok) {
        s.failed = false;
        s.conflict = false;
        s.retry = 0;
        setVersion(form, json.version);
        setError(form, "");
        applyScore(form, json);
        if (!s.dirty) clearDraft(form);
        setState(form, "text-success", '<i class="bi bi-check2"></i> Đã lưu lúc ' + json.saved_at);
        refreshDone(leafOf(form));
      } else if (res.status === 409 && json.conflict) {
        s.failed = false;
        s.conflict = true;
        showConflict(form, json.theirs, data);
      } else if (res.status === 403 && json.locked) {
        s.failed = false;
        clearDraft(form);
        lock(json.error);
      } else if (res.status >= 400 && res.status < 500 && json.error) {
        s.failed = false;
        setError(form, json.error);
        setState(form, "text-danger", '<i class="bi bi-x-circle"></i> Chưa lưu — số liệu không hợp lệ');
      } else if (res.status === 403 || res.status === 404) {
        s.failed = false;
        setError(form, "Bạn không có quyền sửa tiêu chí này, hoặc phiên đăng nhập đã hết. Tải lại trang.");
        setState(form, "text-danger", "Chưa lưu");
      } else {
        offline(form, true);
        return;
      }
      if (s.dirty) send(form, false);
      updateSummary();
    }).catch(function () {
      s.inflight = false;
      offline(form);
    });
  }

  function offline(form, serverError) {
    var s = state(form.dataset.entry);
    s.failed = true;
    s.dirty = true;
    saveDraft(form);
    s.retry = Math.min((s.retry || 0) + 1, 6);
    var wait = Math.min(60, 2 * Math.pow(2, s.retry - 1));
    setState(form, "text-danger fw-semibold", '<i class="bi bi-wifi-off"></i> Chưa lưu — ' +
      (serverError ? "máy chủ chưa lưu được" : "mất kết nối") + ". Thử lại sau " + wait + " giây…");
    if (s.retryTimer) clearTimeout(s.retryTimer);
    s.retryTimer = setTimeout(function () { s.retryTimer = null; send(form, false); }, wait * 1000);
    refreshDone(leafOf(form));
    updateSummary();
  }

  window.addEventListener("online", function () {
    Object.keys(states).forEach(function (id) {
      var s = states[id];
      if (!s.failed) return;
      var form = document.querySelector("[data-entry-form][data-entry='" + id + "']");
      if (s.retryTimer) { clearTimeout(s.retryTimer); s.retryTimer = null; }
      if (form) send(form, false);
    });
  });

  window.addEventListener("beforeunload", function (e) {
    var unsaved = Object.keys(states).some(function (id) {
      var s = states[id];
      return s.failed || s.inflight || s.timer || s.dirty;
    });
    if (unsaved) { e.preventDefault(); e.returnValue = ""; }
  });

  function applyScore(form, json) {
    var leaf = leafOf(form);
    var score = leaf && leaf.querySelector("[data-score]");
    if (score) {
      score.textContent = json.na ? "Không áp dụng" : json.score_note ? json.score_note : json.score;
    }
    Object.keys(json.subtotals || {}).forEach(function (code) {
      document.querySelectorAll("[data-subtotal]").forEach(function (el) {
        if (el.dataset.subtotal === code) el.textContent = json.subtotals[code];
      });
    });
    Object.keys(json.submax || {}).forEach(function (code) {
      document.querySelectorAll("[data-submax]").forEach(function (el) {
        if (el.dataset.submax === code) el.textContent = json.submax[code];
      });
    });
    document.querySelectorAll("[data-total]").forEach(function (el) { el.textContent = json.total; });
    if (json.max) {
      document.querySelectorAll("[data-max]").forEach(function (el) { el.textContent = json.max; });
    }
    refreshDone(leaf);
  }

  function lock(message) {
    editable = false;
    document.querySelectorAll("[data-entry-form] fieldset").forEach(function (fs) { fs.disabled = true; });
    document.querySelectorAll("[data-evidence-upload]").forEach(function (z) { z.classList.add("d-none"); });
    var alert = document.querySelector("[data-lock-reason]");
    if (!alert) {
      alert = document.createElement("div");
      alert.className = "alert alert-danger py-2";
      alert.setAttribute("role", "alert");
      alert.setAttribute("data-lock-reason", "");
      var nav = document.querySelector(".pi-ws-nav");
      if (nav) nav.parentNode.insertBefore(alert, nav);
    }
    alert.textContent = message;
    if (summary) {
      summary.className = "ms-auto small text-danger fw-semibold";
      summary.innerHTML = '<i class="bi bi-lock-fill"></i> Đã khoá';
    }
    window.scrollTo({ top: 0, behavior: "smooth" });
  }

  // ---- conflicts ----------------------------------------------------------------------

  function showConflict(form, theirs, mine) {
    var modalEl = document.getElementById("pi-conflict");
    setState(form, "text-warning-emphasis fw-semibold",
      '<i class="bi bi-exclamation-triangle"></i> Chưa lưu — có xung đột');
    if (!modalEl) return;
    modalEl.querySelector("[data-conflict-code]").textContent = form.dataset.code;
    modalEl.querySelector("[data-conflict-by]").textContent = theirs.by || "Người khác";
    modalEl.querySelector("[data-conflict-at]").textContent = theirs.at || "";
    modalEl.querySelector("[data-conflict-theirs]").textContent = theirs.display;
    modalEl.querySelector("[data-conflict-theirs-expl]").textContent = theirs.explanation || "(trống)";
    modalEl.querySelector("[data-conflict-mine]").textContent = describe(form, mine) +
      (mine.explanation ? " — giải trình: " + mine.explanation : "");
    var modal = window.bootstrap ? window.bootstrap.Modal.getOrCreateInstance(modalEl) : null;
    modalEl.querySelector("[data-conflict-theirs-btn]").onclick = function () {
      fill(form, theirs);
      setVersion(form, theirs.version);
      clearDraft(form);
      setError(form, "");
      state(form.dataset.entry).conflict = false;
      setState(form, "text-success", '<i class="bi bi-check2"></i> Đang dùng giá trị đã lưu lúc ' + theirs.at);
      if (modal) modal.hide();
      refreshDone(leafOf(form));
      updateSummary();
    };
    modalEl.querySelector("[data-conflict-mine-btn]").onclick = function () {
      setVersion(form, theirs.version);
      state(form.dataset.entry).conflict = false;
      if (modal) modal.hide();
      send(form, true);
    };
    if (modal) modal.show();
  }

  // ---- fields -------------------------------------------------------------------------

  function applyNa(form) {
    var na = form.querySelector("[data-na]");
    var group = form.querySelector("[data-value-group]");
    if (!na || !group) return;
    group.querySelectorAll("input").forEach(function (input) { input.disabled = na.checked; });
    group.classList.toggle("opacity-50", na.checked);
  }

  function updateRatio(form) {
    var out = form.querySelector("[data-ratio]");
    if (!out) return;
    var num = parseNum((form.querySelector("[name=value]") || {}).value);
    var den = parseNum((form.querySelector("[name=value2]") || {}).value);
    if (num === null || den === null) { out.textContent = ""; return; }
    if (den === 0) { out.textContent = "mẫu số 0"; return; }
    out.textContent = "= " + vnPercent(100 * num / den);
  }

  function refreshDone(leaf) {
    if (!leaf || leaf.dataset.self !== "1") return;
    var form = leaf.querySelector("[data-entry-form]");
    var badge = leaf.querySelector("[data-done]");
    if (!form) return;
    var data = fields(form);
    var answered = data.na || !!data.value.trim();
    var files = leaf.querySelectorAll(".pi-evidence-list li.list-group-item").length;
    var proven = leaf.dataset.needsEvidence !== "1" || files > 0 || !!data.explanation.trim();
    var done = answered && proven;
    var unsaved = !!(states[form.dataset.entry] || {}).failed;  // typed, but not on the server
    leaf.dataset.complete = done ? "1" : "0";
    if (badge) {
      var cls = "pi-done badge " + (unsaved ? "text-bg-warning" :
        done ? "text-bg-success" : "text-bg-light border");
      var text = unsaved ? "Chưa lưu" :
        done ? "Đủ" : !answered ? "Chưa kê khai" : "Thiếu tài liệu/giải trình";
      if (badge.className !== cls) badge.className = cls;
      if (badge.textContent !== text) badge.textContent = text;
    }
    recount();
  }

  function recount() {
    document.querySelectorAll("[data-tab-count]").forEach(function (badge) {
      var code = badge.dataset.tabCount;
      var leaves = Array.prototype.filter.call(
        document.querySelectorAll("[data-leaf][data-self='1']"),
        function (l) { return l.dataset.domain === code; }
      );
      var done = leaves.filter(function (l) { return l.dataset.complete === "1"; }).length;
      var text = leaves.length ? done + "/" + leaves.length : "XHH";
      var cls = "badge rounded-pill " + (!leaves.length ? "text-bg-light border" :
        done === leaves.length ? "text-bg-success" : "text-bg-secondary");
      if (badge.textContent !== text) badge.textContent = text;
      if (badge.className !== cls) badge.className = cls;
    });
  }

  function focusables(form) {
    return Array.prototype.filter.call(
      form.closest(".tab-pane").querySelectorAll("[data-entry-form] input:not([type=hidden]), [data-entry-form] textarea"),
      function (el) { return !el.disabled && el.offsetParent !== null; }
    );
  }

  document.querySelectorAll("[data-entry-form]").forEach(function (form) {
    applyNa(form);
    updateRatio(form);
    refreshDone(leafOf(form));
    form.addEventListener("submit", function (e) { e.preventDefault(); schedule(form, 0); });
    if (!editable) return;
    form.addEventListener("change", function (e) {
      if (e.target.matches("[data-na]")) applyNa(form);
      schedule(form, 0);
      refreshDone(leafOf(form));
    });
    form.addEventListener("input", function (e) {
      if (e.target.type === "radio" || e.target.type === "checkbox") return;
      updateRatio(form);
      schedule(form, DELAY);
    });
    form.addEventListener("keydown", function (e) {
      // Enter never submits the page: it moves to the next field (Shift+Enter: a new line in
      // the explanation box, which keeps Enter for new lines).
      if (e.key !== "Enter" || e.target.tagName === "TEXTAREA") return;
      e.preventDefault();
      var list = focusables(form);
      var i = list.indexOf(e.target);
      if (i >= 0 && i + 1 < list.length) list[i + 1].focus();
    });
  });

  // Evidence lists are replaced after an upload or removal: recompute that leaf's state.
  if (window.MutationObserver) {
    document.querySelectorAll("[data-leaf] [data-evidence-col]").forEach(function (col) {
      var leaf = leafOf(col);
      new MutationObserver(function () { refreshDone(leaf); })
        .observe(col, { childList: true });
    });
  }

  // ---- tabs and anchors ---------------------------------------------------------------

  function showTabFor(hash) {
    if (!hash || hash.length < 2) return;
    var target = document.getElementById(hash.slice(1));
    if (!target) return;
    var pane = target.classList.contains("tab-pane") ? target : target.closest(".tab-pane");
    if (pane && window.bootstrap) {
      var btn = document.querySelector("[data-bs-target='#" + pane.id + "']");
      if (btn) window.bootstrap.Tab.getOrCreateInstance(btn).show();
    }
    if (target.hasAttribute("data-leaf")) {
      setTimeout(function () {
        target.scrollIntoView({ block: "start" });
        target.classList.add("pi-flash");
        var first = target.querySelector("input:not([type=hidden]):not(:disabled), textarea:not(:disabled)");
        if (first) first.focus({ preventScroll: true });
      }, 150);
    }
  }

  window.addEventListener("hashchange", function () { showTabFor(location.hash); });
  showTabFor(location.hash);
  offerDrafts();
  updateSummary();
  if (!editable && summary && document.querySelector("[data-lock-reason]")) {
    summary.className = "ms-auto small text-danger fw-semibold";
    summary.innerHTML = '<i class="bi bi-lock-fill"></i> Đã khoá';
  } else if (!editable && summary) {
    summary.className = "ms-auto small text-body-secondary";
    summary.innerHTML = '<i class="bi bi-eye"></i> Chỉ xem';
  }
})();
