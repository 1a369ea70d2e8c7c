/* Leader dashboard charts (ECharts served by the app). Data: #chart-data (json_script).
   Each chart sets data-rendered="1" on its element when ECharts reports 'finished'. */
(function () {
  "use strict";
  var dataNode = document.getElementById("chart-data");
  if (!dataNode || typeof echarts === "undefined") { return; }
  var data = JSON.parse(dataNode.textContent);
  var L = data.labels;
  var FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", system-ui, sans-serif';
  var charts = [];
  var LARGE = document.body.classList.contains("pp-large-text");

  function num(value) { return value === null || value === undefined ? null : Number(value); }
  function money(value) {
    return value === null || value === undefined ? "—"
      : Number(value).toLocaleString("zh-CN", {minimumFractionDigits: 2, maximumFractionDigits: 2});
  }

  function draw(id, option) {
    var node = document.getElementById(id);
    if (!node) { return; }
    var chart = echarts.init(node, null, {renderer: "canvas"});
    chart.on("finished", function () { node.dataset.rendered = "1"; });
    // Large-text mode (users.DisplayPreference, the body class): bigger labels everywhere.
    option.textStyle = {fontFamily: FONT, fontSize: LARGE ? 16 : 12};
    if (LARGE) {
      [].concat(option.xAxis || [], option.yAxis || []).forEach(function (axis) {
        axis.axisLabel = Object.assign({fontSize: 15, color: "#000"}, axis.axisLabel || {});
        axis.nameTextStyle = {fontSize: 15};
      });
      if (option.legend) { option.legend.textStyle = {fontSize: 16, color: "#000"}; }
    }
    option.animation = false;
    chart.setOption(option);
    charts.push(chart);
  }

  draw("chart-monthly", {
    tooltip: {trigger: "axis", valueFormatter: money},
    legend: {top: 0},
    grid: {left: 70, right: 20, top: 40, bottom: 30},
    xAxis: {type: "category", data: L.months},
    yAxis: {type: "value", name: L.unit, axisLabel: {formatter: function (v) { return v.toLocaleString("zh-CN"); }}},
    series: [
      {name: L.monthly, type: "bar", data: data.monthly.map(function (m) { return num(m.completed); }),
       itemStyle: {color: "#9ec5fe"}, barMaxWidth: 28},
      {name: L.cumulative, type: "line", data: data.monthly.map(function (m) { return num(m.cumulative); }),
       itemStyle: {color: "#1f4e79"}, lineStyle: {width: 3}, symbolSize: 7,
       label: {show: true, position: "top", formatter: function (p) { return money(p.value); }}},
      {name: L.plan, type: "line", data: data.monthly.map(function (m) { return num(m.planned_cumulative); }),
       itemStyle: {color: "#dc3545"}, lineStyle: {type: "dashed", width: 2}, symbol: "none"}
    ]
  });

  draw("chart-stage", {
    tooltip: {trigger: "item", formatter: "{b}: {c} " + L.projects + " ({d}%)"},
    legend: {bottom: 0},
    series: [{type: "pie", radius: ["38%", "68%"], center: ["50%", "45%"],
      label: {formatter: "{b}\n{c}"}, data: data.by_stage}]
  });

  draw("chart-industry", {
    tooltip: {trigger: "axis", valueFormatter: money},
    legend: {top: 0},
    grid: {left: 70, right: 50, top: 40, bottom: 30},
    xAxis: {type: "category", data: data.by_industry.map(function (r) { return r.name; })},
    yAxis: [{type: "value", name: L.unit}, {type: "value", name: L.rate, max: 100,
      axisLabel: {formatter: "{value}%"}, splitLine: {show: false}}],
    series: [
      {name: L.planned, type: "bar", data: data.by_industry.map(function (r) { return num(r.planned); }),
       itemStyle: {color: "#ced4da"}, barMaxWidth: 32},
      {name: L.completed, type: "bar", data: data.by_industry.map(function (r) { return num(r.completed); }),
       itemStyle: {color: "#198754"}, barMaxWidth: 32},
      {name: L.rate, type: "line", yAxisIndex: 1, tooltip: {valueFormatter: function (v) { return v + "%"; }},
       data: data.by_industry.map(function (r) { return r.completion_rate === null ? null : Math.round(Number(r.completion_rate) * 1000) / 10; }),
       itemStyle: {color: "#fd7e14"}}
    ]
  });

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
})();
