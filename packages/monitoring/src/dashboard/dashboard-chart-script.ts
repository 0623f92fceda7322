/**
 * Browser code of the dashboard's charts: formatting helpers and an SVG line chart sized to its
 * container in real pixels (so text is never stretched). Plain ES2017 without template literals,
 * served inline; the Content-Security-Policy allows exactly this script by its hash.
 */
export const DASHBOARD_CHART_SCRIPT = String.raw`
'use strict';
var PALETTE = ['#4ea1ff', '#3fb950', '#d29922', '#f778ba', '#a371f7', '#39c5cf', '#ff7b72', '#e3b341', '#79c0ff', '#56d364'];

function esc(text) {
  return String(text).replace(/[&<>"']/g, function (c) {
    return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
  });
}
function isNum(v) { return typeof v === 'number' && isFinite(v); }
function trim(v, digits) {
  var text = v.toFixed(digits);
  return text.indexOf('.') >= 0 ? text.replace(/\.?0+$/, '') : text;
}
function sig(v) { return Math.abs(v) >= 100 ? trim(v, 0) : Math.abs(v) >= 10 ? trim(v, 1) : trim(v, 2); }
function fmtNum(v) {
  if (!isNum(v)) return '–';
  var a = Math.abs(v);
  if (a >= 1e9) return sig(v / 1e9) + 'G';
  if (a >= 1e6) return sig(v / 1e6) + 'M';
  if (a >= 1e4) return sig(v / 1e3) + 'k';
  return a >= 100 ? trim(v, 0) : sig(v);
}
function fmtMs(v) {
  if (!isNum(v)) return '–';
  if (v === 0) return '0';
  if (v < 0.001) return sig(v * 1e6) + ' ns';
  if (v < 1) return sig(v * 1000) + ' µs';
  if (v < 1000) return sig(v) + ' ms';
  return sig(v / 1000) + ' s';
}
function fmtPct(v) { return isNum(v) ? sig(v) + '%' : '–'; }
function fmtBytes(v) {
  if (!isNum(v)) return '–';
  if (v >= 1073741824) return sig(v / 1073741824) + ' GiB';
  if (v >= 1048576) return sig(v / 1048576) + ' MiB';
  if (v >= 1024) return sig(v / 1024) + ' KiB';
  return trim(v, 0) + ' B';
}
function fmtDuration(ms) {
  if (!isNum(ms) || ms < 0) return '–';
  var s = Math.floor(ms / 1000);
  if (s < 60) return s + 's';
  var m = Math.floor(s / 60);
  if (m < 60) return m + 'm ' + (s % 60 < 10 ? '0' : '') + (s % 60) + 's';
  var h = Math.floor(m / 60);
  if (h < 48) return h + 'h ' + (m % 60 < 10 ? '0' : '') + (m % 60) + 'm';
  return Math.floor(h / 24) + 'd ' + (h % 24) + 'h';
}
function fmtAgo(ms) {
  return ms >= 120000 && ms % 60000 === 0 ? '-' + ms / 60000 + 'm' : '-' + Math.round(ms / 1000) + 's';
}
function niceCeil(v) {
  if (!(v > 0)) return 1;
  var e = Math.pow(10, Math.floor(Math.log10(v)));
  var m = v / e;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * e;
}

/** A line chart drawing into container; series: [{ label, color, values }] aligned with times. */
function LineChart(container, options) {
  this.el = container;
  this.options = options || {};
}
LineChart.prototype.render = function (times, series, windowMs) {
  var w = this.el.clientWidth || 400;
  var h = this.el.clientHeight || 150;
  var padL = 48, padR = 10, padT = 8, padB = 20;
  var iw = Math.max(10, w - padL - padR), ih = Math.max(10, h - padT - padB);
  var now = times.length ? times[times.length - 1] : Date.now();
  var start = now - windowMs;
  var max = 0, any = false;
  series.forEach(function (s) {
    s.values.forEach(function (v, i) {
      if (isNum(v) && times[i] >= start) { any = true; if (v > max) max = v; }
    });
  });
  var top = isNum(this.options.max) && max <= this.options.max ? this.options.max : niceCeil(max * 1.08);
  var format = this.options.axisFormat || fmtNum;
  var x = function (t) { return padL + ((t - start) / windowMs) * iw; };
  var y = function (v) { return padT + ih - (Math.min(v, top) / top) * ih; };
  var out = ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ' + w + ' ' + h + '" role="img">'];
  for (var g = 0; g <= 4; g++) {
    var gv = (top * g) / 4, gy = y(gv).toFixed(1);
    out.push('<line class="gridline" x1="' + padL + '" x2="' + (w - padR) + '" y1="' + gy + '" y2="' + gy + '"/>');
    out.push('<text class="axis" x="' + (padL - 6) + '" y="' + (Number(gy) + 3.5) + '" text-anchor="end">' + esc(format(gv)) + '</text>');
  }
  var ticks = [[start, fmtAgo(windowMs)], [start + windowMs / 2, fmtAgo(windowMs / 2)], [now, 'now']];
  ticks.forEach(function (t, i) {
    var anchor = i === 0 ? 'start' : i === 2 ? 'end' : 'middle';
    out.push('<text class="axis" x="' + x(t[0]).toFixed(1) + '" y="' + (h - 4) + '" text-anchor="' + anchor + '">' + t[1] + '</text>');
  });
  series.forEach(function (s) {
    var segments = [], current = [];
    s.values.forEach(function (v, i) {
      if (isNum(v) && times[i] >= start) current.push([x(times[i]), y(v)]);
      else if (current.length) { segments.push(current); current = []; }
    });
    if (current.length) segments.push(current);
    segments.forEach(function (pts) {
      var line = pts.map(function (p, i) { return (i ? 'L' : 'M') + p[0].toFixed(1) + ' ' + p[1].toFixed(1); }).join('');
      if (pts.length === 1) line += 'l0.01 0';
      var base = (padT + ih).toFixed(1);
      var area = line + 'L' + pts[pts.length - 1][0].toFixed(1) + ' ' + base + 'L' + pts[0][0].toFixed(1) + ' ' + base + 'Z';
      out.push('<path class="area" fill="' + s.color + '" d="' + area + '"/>');
      out.push('<path class="series" data-series="' + esc(s.label) + '" stroke="' + s.color + '" d="' + line + '"/>');
    });
  });
  out.push('</svg>');
  if (!any) out.push('<div class="empty"><span>' + (this.options.emptyHtml || 'No data yet') + '</span></div>');
  this.el.innerHTML = out.join('');
};
`;
