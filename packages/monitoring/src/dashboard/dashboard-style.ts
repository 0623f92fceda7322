/**
 * The dashboard's stylesheet. A dark, low-glare theme for wall screens and terminals' neighbours:
 * colour is reserved for data series and state (green ok, amber pending, red firing).
 */
export const DASHBOARD_STYLE = `
:root {
  --bg: #0d1117; --panel: #161b22; --panel-2: #1c2230; --border: #262d3a; --grid: #232a36;
  --text: #e6edf3; --muted: #8b96a5; --faint: #5d6776;
  --ok: #3fb950; --warn: #d29922; --bad: #f85149; --accent: #4ea1ff;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
}
* { box-sizing: border-box; }
html, body { margin: 0; background: var(--bg); color: var(--text); }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, sans-serif; padding: 18px 22px 28px; }
h1, h2 { margin: 0; font-weight: 600; }
.top { display: flex; align-items: center; justify-content: space-between; gap: 16px; margin-bottom: 14px; }
.brand { display: flex; align-items: baseline; gap: 10px; }
.brand h1 { font-size: 20px; letter-spacing: .2px; }
.brand .sub { color: var(--muted); font-size: 13px; }
.logo { color: var(--accent); font-size: 18px; }
.meta { display: flex; gap: 18px; color: var(--muted); font-size: 13px; align-items: center; }
.meta b { color: var(--text); font-weight: 500; font-family: var(--mono); font-size: 12.5px; }
.conn { display: inline-flex; align-items: center; gap: 6px; }
.conn::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: var(--faint); }
.conn.live::before { background: var(--ok); box-shadow: 0 0 0 3px rgba(63,185,80,.18); }
.conn.down::before { background: var(--bad); }

.alerts { margin-bottom: 14px; display: grid; gap: 8px; }
.all-clear { display: flex; align-items: center; gap: 8px; padding: 8px 12px; border-radius: 8px;
  background: rgba(63,185,80,.08); border: 1px solid rgba(63,185,80,.25); color: #7ee787; font-size: 13px; }
.alert { display: grid; grid-template-columns: auto 1fr auto; align-items: center; gap: 12px; padding: 10px 14px;
  border-radius: 8px; background: rgba(248,81,73,.09); border: 1px solid rgba(248,81,73,.45); }
.alert.pending { background: rgba(210,153,34,.08); border-color: rgba(210,153,34,.4); }
.alert .sev { font-size: 11px; font-weight: 700; letter-spacing: .6px; text-transform: uppercase; padding: 2px 8px; border-radius: 999px;
  background: var(--bad); color: #fff; }
.alert.pending .sev { background: var(--warn); color: #1b1300; }
.alert .sev.info { background: var(--accent); }
.alert .name { font-weight: 600; }
.alert .summary { color: var(--muted); font-size: 13px; margin-left: 8px; }
.alert .when { color: var(--muted); font-size: 12.5px; font-family: var(--mono); white-space: nowrap; }

.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(124px, 1fr)); gap: 10px; margin-bottom: 14px; }
.kpi { background: var(--panel); border: 1px solid var(--border); border-radius: 10px; padding: 10px 14px 11px; }
.kpi .label { color: var(--muted); font-size: 12.5px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.kpi .value { font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; margin-top: 2px; white-space: nowrap; }
.kpi .value small { font-size: 13px; color: var(--muted); font-weight: 500; margin-left: 3px; }
.kpi.bad .value { color: var(--bad); }
.kpi.warn .value { color: var(--warn); }

.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 12px; }
.card { background: var(--panel); border: 1px solid var(--border); border-radius: 10px; padding: 12px 14px 10px; min-width: 0; }
.card header { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; }
.card h2 { font-size: 14px; }
.card .unit { color: var(--faint); font-size: 12px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 6px 0 4px; min-height: 20px; }
.legend .item { display: inline-flex; align-items: center; gap: 6px; font-size: 12.5px; color: var(--muted); }
.legend .dot { width: 9px; height: 9px; border-radius: 2px; }
.legend .val { color: var(--text); font-family: var(--mono); font-size: 12px; font-variant-numeric: tabular-nums; }
.chart { position: relative; height: 150px; }
.chart svg { display: block; width: 100%; height: 100%; overflow: visible; }
.chart .axis { fill: var(--faint); font: 10.5px var(--mono); }
.chart .gridline { stroke: var(--grid); stroke-width: 1; }
.chart .series { fill: none; stroke-width: 1.8; stroke-linejoin: round; stroke-linecap: round; }
.chart .area { stroke: none; opacity: .09; }
.chart .empty { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center;
  color: var(--faint); font-size: 12.5px; text-align: center; padding: 0 20px; pointer-events: none; }
.chart .empty code { font-family: var(--mono); color: var(--muted); }
table.detail { width: 100%; border-collapse: collapse; margin-top: 8px; font-size: 12.5px; }
table.detail th, table.detail td { white-space: nowrap; }
table.detail th { text-align: left; color: var(--faint); font-weight: 500; padding: 3px 6px; border-bottom: 1px solid var(--border); }
table.detail td { padding: 3px 6px; color: var(--muted); font-family: var(--mono); font-size: 12px; border-bottom: 1px solid #1d232e; }
table.detail td:first-child { color: var(--text); font-family: inherit; font-size: 12.5px; }
table.detail th:not(:first-child), table.detail td:not(:first-child) { text-align: right; }
.badge { display: inline-block; white-space: nowrap; padding: 1px 8px; border-radius: 999px; font-size: 11px; font-weight: 600; font-family: system-ui, sans-serif; }
.badge.closed { background: rgba(63,185,80,.15); color: #7ee787; }
.badge.half-open { background: rgba(210,153,34,.18); color: #e3b341; }
.badge.open { background: rgba(248,81,73,.18); color: #ff7b72; }
.badge.none { color: var(--faint); }

footer { margin-top: 16px; display: flex; justify-content: space-between; align-items: center; gap: 12px; color: var(--faint); font-size: 12.5px; flex-wrap: wrap; }
footer a { color: var(--muted); text-decoration: none; margin-right: 14px; font-family: var(--mono); font-size: 12px; }
footer a:hover { color: var(--text); }
footer button { background: var(--panel-2); color: var(--text); border: 1px solid var(--border); border-radius: 6px; padding: 5px 10px;
  font: inherit; font-size: 12.5px; cursor: pointer; margin-left: 6px; }
footer button:hover:not(:disabled) { border-color: var(--accent); }
footer button:disabled { opacity: .5; cursor: progress; }
#profile-status { margin-left: 8px; }
@media (max-width: 720px) { body { padding: 12px; } .grid { grid-template-columns: 1fr; } .top { flex-direction: column; align-items: flex-start; } }
`;
