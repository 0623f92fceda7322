/**
 * Browser code of the dashboard: subscribes to `events` (server-sent events, relative to the
 * page, so it works under any base path), keeps the recent snapshots, and redraws KPIs, alerts,
 * charts and tables on each one. Relies on the chart script's helpers.
 */
export const DASHBOARD_APP_SCRIPT = String.raw`
var MAX_SNAPSHOTS = 600;
var MIB = 1048576;
function fmtMiB(v) { return isNum(v) ? fmtNum(v) + ' MiB' : '–'; }
var snapshots = [];
var samples = 0;
function lat(l, key) { return l ? l[key] : null; }
function sum(list, key) { return list.reduce(function (a, x) { return a + (isNum(x[key]) ? x[key] : 0); }, 0); }
function hitRatio(s) {
  var hits = sum(s.cache.tiers, 'hitsPerSec'), misses = sum(s.cache.tiers, 'missesPerSec');
  return hits + misses > 0 ? (hits / (hits + misses)) * 100 : null;
}
function rt(s, f) { return s.runtime ? f(s.runtime) : null; }
function badge(state) { return '<span class="badge ' + (state ? esc(state) : 'none') + '">' + (state ? esc(state) : '–') + '</span>'; }
function table(head, rows) {
  if (!rows.length) return '';
  return '<table class="detail"><thead><tr>' + head.map(function (h) { return '<th>' + esc(h) + '</th>'; }).join('') +
    '</tr></thead><tbody>' + rows.map(function (r) { return '<tr>' + r.map(function (c, i) { return '<td>' + (i === 0 ? esc(c) : c) + '</td>'; }).join('') + '</tr>'; }).join('') + '</tbody></table>';
}

var KPIS = [
  { id: 'events', label: 'Events / s', value: function (s) { return s.store.eventsPerSec; }, format: fmtNum },
  { id: 'commands', label: 'Commands / s', value: function (s) { return s.commands.perSec; }, format: fmtNum },
  { id: 'command-p99', label: 'Command p99', value: function (s) { return lat(s.commands.latencyMs, 'p99'); }, format: fmtMs },
  { id: 'append-p99', label: 'Append p99', value: function (s) { return lat(s.store.appendLatencyMs, 'p99'); }, format: fmtMs },
  { id: 'cache-hit', label: 'Cache hits', value: hitRatio, format: fmtPct },
  { id: 'lag', label: 'Projection lag', value: function (s) { return s.projections.projections.length ? s.projections.maxLagEvents : null; }, format: function (v) { return isNum(v) ? fmtNum(v) + ' ev' : '–'; } },
  { id: 'loop', label: 'Event loop p99', value: function (s) { return rt(s, function (r) { return r.eventLoopDelayMs.p99; }); }, format: fmtMs },
  { id: 'cpu', label: 'CPU', value: function (s) { return rt(s, function (r) { return r.cpuPercent; }); }, format: fmtPct },
  { id: 'heap', label: 'Heap used', value: function (s) { return rt(s, function (r) { return r.heapUsedBytes; }); }, format: fmtBytes },
  { id: 'alerts', label: 'Alerts firing', value: function (s) { return s.alerts.filter(function (a) { return a.state === 'firing'; }).length; }, format: fmtNum },
];

function hint(channel) { return 'No data yet · waiting for <code>' + channel + '</code> messages'; }
var PANELS = [
  { id: 'throughput', title: 'Throughput', unit: 'per second', empty: 'No activity yet', series: function (s) {
    return [['Events', s.store.eventsPerSec], ['Appends', s.store.appendsPerSec], ['Commands', s.commands.perSec], ['Reads', s.store.readsPerSec], ['Queries', s.queries.perSec]];
  } },
  { id: 'append-latency', title: 'Append latency', unit: 'ms', format: fmtMs, empty: hint('strata:store:append'), series: function (s) {
    var l = s.store.appendLatencyMs; return [['p50', lat(l, 'p50')], ['p95', lat(l, 'p95')], ['p99', lat(l, 'p99')], ['p99.9', lat(l, 'p999')]];
  } },
  { id: 'command-latency', title: 'Command latency', unit: 'ms', format: fmtMs, empty: hint('strata:command'), series: function (s) {
    var l = s.commands.latencyMs; return [['p50', lat(l, 'p50')], ['p95', lat(l, 'p95')], ['p99', lat(l, 'p99')], ['p99.9', lat(l, 'p999')]];
  }, table: function (s) {
    return table(['aggregate', 'cmd/s', 'failed/s', 'p99'], s.commands.aggregates.map(function (a) { return [a.aggregate, fmtNum(a.perSec), fmtNum(a.failedPerSec), fmtMs(a.p99Ms)]; }));
  } },
  { id: 'cache', title: 'Cache hit ratio', unit: '% per tier', format: fmtPct, max: 100, empty: hint('strata:cache'), series: function (s) {
    return s.cache.tiers.map(function (t) { return [t.cache + ' · ' + t.tier, t.hitRatio === null ? null : t.hitRatio * 100]; });
  }, table: function (s) {
    return table(['tier', 'hits/s', 'misses/s', 'evictions/s', 'since start'], s.cache.tiers.map(function (t) {
      return [t.cache + ' · ' + t.tier, fmtNum(t.hitsPerSec), fmtNum(t.missesPerSec), fmtNum(t.evictionsPerSec), t.lifetimeHitRatio === null ? '–' : fmtPct(t.lifetimeHitRatio * 100)];
    }));
  } },
  { id: 'pools', title: 'Connection pools', unit: 'connections', empty: hint('strata:pool'), series: function (s) {
    if (!s.pools.length) return [];
    return [['In use', sum(s.pools, 'inUse')], ['Idle', sum(s.pools, 'idle')], ['Waiting', sum(s.pools, 'waiting')]];
  }, table: function (s) {
    return table(['pool', 'in use', 'waiting', 'acquire p99', 'timeouts/s', 'breaker'], s.pools.map(function (p) {
      return [p.pool, fmtNum(p.inUse) + ' / ' + fmtNum(p.total), fmtNum(p.waiting), fmtMs(lat(p.acquireLatencyMs, 'p99')), fmtNum(p.timeoutsPerSec), badge(p.breaker)];
    }));
  } },
  { id: 'projections', title: 'Projection lag', unit: 'events behind', empty: hint('strata:projection'), series: function (s) {
    return s.projections.projections.map(function (p) { return [p.projection, p.lagEvents]; });
  }, table: function (s) {
    return table(['projection', 'lag', 'lag time', 'applied/s'], s.projections.projections.map(function (p) {
      return [p.projection, fmtNum(p.lagEvents) + ' ev', fmtMs(p.lagMs), fmtNum(p.appliedPerSec)];
    }));
  } },
  { id: 'batches', title: 'Batch sizes', unit: 'mean items per batch', empty: hint('strata:batch'), series: function (s) {
    return s.batches.map(function (b) { return [b.name, lat(b.size, 'mean')]; });
  }, table: function (s) {
    return table(['batcher', 'batches/s', 'p99 size', 'pending', 'target'], s.batches.map(function (b) {
      return [b.name, fmtNum(b.batchesPerSec), fmtNum(lat(b.size, 'p99')), fmtNum(b.pending), fmtNum(b.targetSize)];
    }));
  } },
  { id: 'processor', title: 'Processor queues', unit: 'commands queued', empty: hint('strata:processor'), series: function (s) {
    return s.processor.workers.map(function (w) { return ['worker ' + w.worker, w.queueDepth]; });
  }, table: function (s) {
    return table(['worker', 'queued', 'utilisation', 'steals/s'], s.processor.workers.map(function (w) {
      return ['worker ' + w.worker, fmtNum(w.queueDepth), w.utilisation === null ? '–' : fmtPct(w.utilisation * 100), fmtNum(w.stealsPerSec)];
    }));
  } },
  { id: 'queries', title: 'Read and query latency', unit: 'ms, p99', format: fmtMs, empty: hint('strata:store:read') + ' or <code>strata:query</code>', series: function (s) {
    return [['Stream reads', lat(s.store.readLatencyMs, 'p99')], ['Queries', lat(s.queries.latencyMs, 'p99')]];
  }, table: function (s) {
    return table(['collection', 'queries/s', 'plan cache hits', 'p99'], s.queries.collections.map(function (c) {
      return [c.collection, fmtNum(c.perSec), c.planCacheHitRatio === null ? '–' : fmtPct(c.planCacheHitRatio * 100), fmtMs(c.p99Ms)];
    }));
  } },
  { id: 'event-loop', title: 'Event-loop delay', unit: 'ms', format: fmtMs, empty: 'Runtime metrics are disabled', series: function (s) {
    return s.runtime ? [['p50', s.runtime.eventLoopDelayMs.p50], ['p99', s.runtime.eventLoopDelayMs.p99], ['max', s.runtime.eventLoopDelayMs.max]] : [];
  } },
  { id: 'cpu', title: 'CPU and event-loop utilisation', unit: '%', format: fmtPct, max: 100, empty: 'Runtime metrics are disabled', series: function (s) {
    return s.runtime ? [['CPU', s.runtime.cpuPercent], ['Event loop busy', s.runtime.eventLoopUtilisation * 100]] : [];
  } },
  { id: 'memory', title: 'Memory', unit: 'MiB', format: fmtMiB, empty: 'Runtime metrics are disabled', series: function (s) {
    var r = s.runtime;
    return r ? [['RSS', r.rssBytes / MIB], ['Heap total', r.heapTotalBytes / MIB], ['Heap used', r.heapUsedBytes / MIB]] : [];
  }, table: function (s) {
    if (!s.runtime) return '';
    var gc = s.runtime.gc;
    return table(['last interval', 'GC pauses', 'GC time', 'longest GC', 'active handles'], [['runtime', fmtNum(gc.count), fmtMs(gc.pauseMs), fmtMs(gc.maxPauseMs), fmtNum(s.runtime.activeResources)]]);
  } },
];

function el(tag, cls, html) {
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (html !== undefined) e.innerHTML = html;
  return e;
}

function buildLayout() {
  var kpis = document.getElementById('kpis');
  KPIS.forEach(function (k) {
    var tile = el('div', 'kpi');
    tile.dataset.kpi = k.id;
    tile.appendChild(el('div', 'label', esc(k.label)));
    tile.appendChild(el('div', 'value', '–'));
    kpis.appendChild(tile);
  });
  var grid = document.getElementById('grid');
  PANELS.forEach(function (p) {
    var card = el('article', 'card');
    card.dataset.chart = p.id;
    card.appendChild(el('header', '', '<h2>' + esc(p.title) + '</h2><span class="unit">' + esc(p.unit) + '</span>'));
    p.legend = card.appendChild(el('div', 'legend'));
    var box = card.appendChild(el('div', 'chart'));
    p.detail = card.appendChild(el('div', 'detail-box'));
    p.chart = new LineChart(box, { max: p.max, axisFormat: p.format || fmtNum, emptyHtml: p.empty });
    p.colors = {};
    grid.appendChild(card);
  });
}

function colorOf(panel, label) {
  if (!panel.colors[label]) panel.colors[label] = PALETTE[Object.keys(panel.colors).length % PALETTE.length];
  return panel.colors[label];
}

function renderPanel(panel, windowMs) {
  var times = snapshots.map(function (s) { return s.time; });
  var byLabel = {}, order = [];
  snapshots.forEach(function (s, i) {
    panel.series(s).forEach(function (pair) {
      if (!byLabel[pair[0]]) { byLabel[pair[0]] = new Array(snapshots.length).fill(null); order.push(pair[0]); }
      byLabel[pair[0]][i] = pair[1];
    });
  });
  var latest = snapshots[snapshots.length - 1];
  var current = {};
  if (latest) panel.series(latest).forEach(function (pair) { current[pair[0]] = pair[1]; });
  var series = order.map(function (label) { return { label: label, color: colorOf(panel, label), values: byLabel[label] }; });
  var format = panel.format || fmtNum;
  panel.legend.innerHTML = '';
  series.forEach(function (s) {
    var item = el('span', 'item');
    var dot = el('span', 'dot');
    dot.style.background = s.color;
    item.appendChild(dot);
    item.appendChild(document.createTextNode(s.label + ' '));
    var val = el('span', 'val');
    val.textContent = format(current[s.label]);
    item.appendChild(val);
    panel.legend.appendChild(item);
  });
  panel.chart.render(times, series, windowMs);
  panel.detail.innerHTML = latest && panel.table ? panel.table(latest) : '';
}

function renderAlerts(s) {
  var box = document.getElementById('alerts');
  if (!s.alerts.length) {
    box.innerHTML = '<div class="all-clear">✓ All clear — no active alerts' +
      (s.resolvedAlerts.length ? ' · last resolved: ' + esc(s.resolvedAlerts[0].name) + ' (' + fmtDuration(Math.max(0, s.time - s.resolvedAlerts[0].resolvedAt)) + ' ago)' : '') + '</div>';
    return;
  }
  box.innerHTML = s.alerts.map(function (a) {
    var labels = Object.keys(a.labels).map(function (k) { return k + '=' + a.labels[k]; }).join(', ');
    var value = a.value === null ? '' : (a.unit === 'ms' ? fmtMs(a.value) : fmtNum(a.value) + (a.unit ? ' ' + a.unit : '')) +
      (a.threshold === null ? '' : ' vs ' + (a.unit === 'ms' ? fmtMs(a.threshold) : fmtNum(a.threshold)));
    var since = a.state === 'firing' ? 'firing for ' + fmtDuration(Math.max(0, s.time - a.firedAt)) : 'pending for ' + fmtDuration(Math.max(0, s.time - a.since));
    return '<div class="alert ' + esc(a.state) + '" data-alert="' + esc(a.name) + '"><span class="sev ' + esc(a.severity) + '">' +
      esc(a.state === 'pending' ? 'pending' : a.severity) + '</span><div><span class="name">' + esc(a.name) + '</span>' +
      '<span class="summary">' + esc(a.summary) + (labels ? ' · ' + esc(labels) : '') + '</span></div>' +
      '<span class="when">' + esc(value ? value + ' · ' + since : since) + '</span></div>';
  }).join('');
}

function render() {
  var s = snapshots[snapshots.length - 1];
  if (!s) return;
  document.title = s.title + ' · Strata monitor';
  document.getElementById('title').textContent = s.title;
  document.getElementById('host').innerHTML = 'pid <b>' + s.process.pid + '</b> on <b>' + esc(s.process.hostname) + '</b> · node <b>' + esc(s.process.node) + '</b>';
  document.getElementById('uptime').innerHTML = 'up <b>' + fmtDuration(s.uptimeMs) + '</b>';
  KPIS.forEach(function (k) {
    var tile = document.querySelector('[data-kpi="' + k.id + '"]');
    var v = k.value(s);
    tile.querySelector('.value').textContent = k.format(v);
    tile.classList.toggle('bad', k.id === 'alerts' && v > 0);
  });
  renderAlerts(s);
  var nominal = s.intervalMs > 0 ? Math.max(250, s.intervalMs) : 1000;
  var windowMs = Math.max(30000, Math.round(nominal / 250) * 250 * 120);
  PANELS.forEach(function (p) { renderPanel(p, windowMs); });
  var profiling = document.getElementById('profiling');
  profiling.hidden = !s.profiling.endpoint;
  document.body.dataset.samples = String(samples);
}

function add(s) {
  snapshots.push(s);
  samples++;
  if (snapshots.length > MAX_SNAPSHOTS) snapshots.shift();
}

function connect() {
  var conn = document.getElementById('conn');
  var source = new EventSource('events');
  source.addEventListener('open', function () { conn.className = 'conn live'; conn.textContent = 'live'; });
  source.addEventListener('error', function () { conn.className = 'conn down'; conn.textContent = 'reconnecting…'; });
  source.addEventListener('history', function (e) {
    snapshots = [];
    JSON.parse(e.data).forEach(add);
    render();
  });
  source.addEventListener('snapshot', function (e) { add(JSON.parse(e.data)); render(); });
}

function profile(kind, seconds) {
  var status = document.getElementById('profile-status');
  var buttons = document.querySelectorAll('#profiling button');
  buttons.forEach(function (b) { b.disabled = true; });
  status.textContent = 'capturing ' + kind + (seconds ? ' for ' + seconds + ' s' : '') + '…';
  fetch('profile/' + kind + (seconds ? '?seconds=' + seconds : ''), { method: 'POST' }).then(function (res) {
    if (!res.ok) return res.json().then(function (body) { throw new Error(body.error ? body.error.message : res.statusText); });
    var name = (res.headers.get('Content-Disposition') || '').replace(/^.*filename="([^"]+)".*$/, '$1') || kind + '.json';
    return res.blob().then(function (blob) {
      var link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = name;
      link.click();
      status.textContent = 'saved ' + name;
    });
  }).catch(function (error) { status.textContent = 'failed: ' + error.message; })
    .then(function () { buttons.forEach(function (b) { b.disabled = false; }); });
}

buildLayout();
document.querySelectorAll('#profiling button').forEach(function (b) {
  b.addEventListener('click', function () { profile(b.dataset.kind, b.dataset.seconds ? Number(b.dataset.seconds) : 0); });
});
window.addEventListener('resize', function () { render(); });
connect();
`;
