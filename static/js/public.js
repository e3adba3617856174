// The public results pages: the print button and the scorecard's chart (vendored Chart.js).
(function () {
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
  var node = document.getElementById("chart-data");
  var canvas = document.getElementById("domain-chart");
  if (!node || !canvas || typeof Chart === "undefined") return;
  var data = JSON.parse(node.textContent);
  var colors = ["#0b4f8a", "#1a7f37", "#f0a202", "#9e9e9e", "#bdbdbd", "#e0e0e0"];
  var lang = document.documentElement.lang || "vi";
  var fmt = new Intl.NumberFormat(lang === "en" ? "en-GB" : "vi-VN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var chart = new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.series.map(function (s, i) {
        return { label: s.label, data: s.data, backgroundColor: colors[i % colors.length] };
      })
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      scales: { y: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } } },
      plugins: {
        tooltip: { callbacks: {
          title: function (items) { var i = items[0].dataIndex; return data.labels[i] + ". " + data.titles[i]; },
          label: function (c) { return c.dataset.label + ": " + (c.raw === null ? "—" : fmt.format(c.raw)); }
        } }
      }
    }
  });
  canvas.dataset.rendered = "1";
  window.addEventListener("beforeprint", function () { chart.resize(); });
})();
