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

  // Phones (and narrow columns): fewer labels, smaller margins, legends that scroll.
  function narrow(id) {
    var node = document.getElementById(id);
    return !!node && node.clientWidth < 520;
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

  var monthlyNarrow = narrow("chart-monthly");
  draw("chart-monthly", {
    tooltip: {trigger: "axis", valueFormatter: money},
    legend: {top: 0, type: "scroll"},
    grid: {left: monthlyNarrow ? 10 : 20, right: 20, top: 60, bottom: 30, containLabel: true},
    xAxis: {type: "category", data: L.months, axisLabel: {hideOverlap: true}},
    yAxis: {type: "value", name: L.unit, nameTextStyle: {align: "left"}, axisLabel: {formatter: function (v) { return v.toLocaleString("zh-CN"); }}},
    series: [
      {name: L.monthly, type: "bar", data: data.monthly.map(function (m) { return num(m.completed); }),
       itemStyle: {color: "#9ec5fe"}, barMaxWidth: 28},
      {name: L.cumulative, type: "line", data: data.monthly.map(function (m) { return num(m.cumulative); }),
       itemStyle: {color: "#1f4e79"}, lineStyle: {width: 3}, symbolSize: 7,
       label: {show: !monthlyNarrow, position: "top", formatter: function (p) { return money(p.value); }},
       labelLayout: {hideOverlap: true}},
      {name: L.plan, type: "line", data: data.monthly.map(function (m) { return num(m.planned_cumulative); }),
       itemStyle: {color: "#dc3545"}, lineStyle: {type: "dashed", width: 2}, symbol: "none"}
    ]
  });

  // Stage names are in the legend, whole (names beside a narrow ring were cut to "新…");
  // each slice shows its count.
  var stageCounts = {};
  data.by_stage.forEach(function (s) { stageCounts[s.name] = s.value; });
  draw("chart-stage", {
    tooltip: {trigger: "item", formatter: "{b}: {c} " + L.projects + " ({d}%)"},
    legend: {bottom: 0, type: "scroll", formatter: function (name) { return name + " " + stageCounts[name]; }},
    series: [{type: "pie", radius: ["38%", "68%"], center: ["50%", "45%"],
      label: {position: "inside", formatter: "{c}", color: "#fff", fontWeight: "bold", fontSize: 14},
      labelLine: {show: false}, data: data.by_stage}]
  });

  draw("chart-industry", {
    tooltip: {trigger: "axis", valueFormatter: money},
    legend: {top: 0, type: "scroll"},
    grid: {left: 10, right: 10, top: 60, bottom: 10, containLabel: true},
    xAxis: {type: "category", data: data.by_industry.map(function (r) { return r.name; }),
      axisLabel: {interval: 0, width: narrow("chart-industry") ? 48 : 90, overflow: "break"}},
    yAxis: [{type: "value", name: L.unit, nameTextStyle: {align: "left"}},
      {type: "value", name: L.rate, max: 100, nameTextStyle: {align: "right"},
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

  if (data.funnel && data.funnel.length) {
    draw("chart-funnel", {
      tooltip: {trigger: "item", formatter: "{b}: {c} " + L.leads},
      series: [{type: "funnel", left: "10%", width: "80%", top: 10, bottom: 10, sort: "none",
        minSize: "20%", gap: 2, label: {show: true, position: "inside", formatter: "{b}\n{c}"},
        itemStyle: {borderColor: "#fff"},
        color: ["#9ec5fe", "#6ea8fe", "#1f4e79", "#198754"],
        data: data.funnel}]
    });
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
})();
