// Charts of the results pages: every <canvas data-chart="bar"> with data-labels (JSON list),
// data-values (JSON list of numbers) and data-label (the series' name). Chart.js is vendored
// (static/vendor/chartjs); no inline script. Numbers are shown with the decimal comma.
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;
  var fmt = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var labels = JSON.parse(canvas.dataset.labels || "[]");
    var values = JSON.parse(canvas.dataset.values || "[]");
    new Chart(canvas, {
      type: canvas.dataset.chart,
      data: {
        labels: labels,
        datasets: [{ label: canvas.dataset.label || "", data: values, backgroundColor: canvas.dataset.color || "#a4161a" }],
      },
      options: {
        animation: false,
        indexAxis: canvas.dataset.axis || "x",
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: function (c) { return fmt.format(c.parsed[canvas.dataset.axis === "y" ? "x" : "y"]); } } },
        },
        scales: {
          x: { ticks: { callback: function (v) { return canvas.dataset.axis === "y" ? fmt.format(v) : this.getLabelForValue(v); } } },
          y: { beginAtZero: true, ticks: { callback: function (v) { return canvas.dataset.axis === "y" ? this.getLabelForValue(v) : fmt.format(v); } } },
        },
      },
    });
    canvas.setAttribute("data-rendered", "1");
  });
})();
