import { createHash } from 'node:crypto';
import { DASHBOARD_APP_SCRIPT } from './dashboard-app-script.js';
import { DASHBOARD_CHART_SCRIPT } from './dashboard-chart-script.js';
import { DASHBOARD_STYLE } from './dashboard-style.js';

/** The dashboard document and the Content-Security-Policy it is served with. */
export type DashboardPage = { html: string; contentSecurityPolicy: string };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * Builds the self-contained dashboard page: markup, stylesheet and script inline, no external
 * resource, no build step. The policy allows exactly the inline script and stylesheet (by hash)
 * and connections back to the monitor, so the page cannot be made to load anything else.
 */
export function renderDashboardPage(title: string): DashboardPage {
  const script = DASHBOARD_CHART_SCRIPT + DASHBOARD_APP_SCRIPT;
  const style = DASHBOARD_STYLE;
  const name = escapeHtml(title);
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${name} · Strata monitor</title>
<style>${style}</style>
</head>
<body data-samples="0">
<header class="top">
  <div class="brand"><span class="logo">◆</span><h1 id="title">${name}</h1><span class="sub">Strata monitor</span></div>
  <div class="meta"><span id="host"></span><span id="uptime"></span><span id="conn" class="conn">connecting…</span></div>
</header>
<section id="alerts" class="alerts" aria-live="polite"></section>
<section id="kpis" class="kpis"></section>
<main id="grid" class="grid"></main>
<footer>
  <div><a href="metrics">/metrics</a><a href="metrics.json">/metrics.json</a><a href="snapshot">/snapshot</a><a href="alerts">/alerts</a></div>
  <div id="profiling" hidden>Profile:<button type="button" data-kind="cpu" data-seconds="10">CPU 10 s</button><button type="button" data-kind="heap-sampling" data-seconds="10">Allocations 10 s</button><button type="button" data-kind="heap-snapshot">Heap snapshot</button><span id="profile-status"></span></div>
</footer>
<script>${script}</script>
</body>
</html>
`;
  const contentSecurityPolicy = [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(style)}`,
    "connect-src 'self'",
    "img-src 'self' data: blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
  ].join('; ');
  return { html, contentSecurityPolicy };
}
