// The live dashboard: one snapshot of the server every ~500 ms over server-sent events
// (GET /events); rates come from the difference between two snapshots.
'use strict';

const HISTORY = 240;              // points kept per chart: two minutes at one per 500 ms
const charts = new Map();         // "job/operator" -> { plot, data }
let previous = null;

const events = new EventSource('/events');
events.onopen = () => text('connection', 'live');
events.onerror = () => text('connection', 'reconnecting…');
events.onmessage = message => {
  const snapshot = JSON.parse(message.data);
  render(snapshot, previous);
  previous = snapshot;
};

function render(s, before) {
  text('clock', 'server time ' + time(s.serverTimeMs));
  renderJobs(s, before);
  renderTopics(s.topics);
  renderGroups(s.groups);
  renderRequests(s, before);
}

function renderJobs(s, before) {
  const container = document.getElementById('jobs');
  if (s.jobs.length === 0) {
    container.innerHTML = '<p class="empty">No job runs in this server.</p>';
    return;
  }
  for (const job of s.jobs) {
    const id = 'job-' + job.status.id;
    let section = document.getElementById(id);
    if (!section) {
      if (container.querySelector('.empty')) container.innerHTML = '';
      section = element('section', { id });
      section.innerHTML = '<h2></h2><div class="graph"></div><h3>Watermarks</h3>' +
        '<p class="hint">Per operator: processing time (wall clock), the newest event time its subtasks took in, ' +
        'and each subtask\'s watermark. Windows fire as the watermark passes their end.</p>' +
        '<div class="charts"></div><table class="watermarks"></table><h3>Late events by fate</h3><table class="late"></table>' +
        '<h3>Checkpoints</h3><table class="checkpoints"></table>';
      container.appendChild(section);
    }
    const last = before && before.jobs.find(j => j.status.id === job.status.id);
    const seconds = before ? (s.serverTimeMs - before.serverTimeMs) / 1000 : 0;
    section.querySelector('h2').textContent = 'Job ' + job.status.name + ' (' + job.status.id + ') — ' + job.status.state;
    renderGraph(section.querySelector('.graph'), job, last, seconds);
    renderWatermarks(section, job, s.serverTimeMs);
    renderLate(section.querySelector('.late'), job);
    renderCheckpoints(section.querySelector('.checkpoints'), job.checkpoints);
  }
}

function renderGraph(graph, job, last, seconds) {
  const parts = [];
  job.vertices.forEach((vertex, i) => {
    const head = vertex.operators[0];
    const now = job.subtasks.filter(t => t.operator === head);
    const then = last ? last.subtasks.filter(t => t.operator === head) : [];
    const rate = seconds > 0 ? (sum(now, 'recordsIn') - sum(then, 'recordsIn')) / seconds : 0;
    const share = field => seconds > 0 && then.length === now.length
      ? Math.min(1, (sum(now, field) - sum(then, field)) / 1e9 / seconds / now.length) : 0;
    const busy = share('busyNanos');
    const pressure = share('backpressuredNanos');
    const edge = job.edges.find(e => e.target === vertex.id);
    if (i > 0) parts.push('<span class="edge">→ ' + escape(edge ? edge.partitioning : '') + ' →</span>');
    parts.push('<div class="vertex' + (pressure > 0.5 ? ' backpressured' : '') + '" data-vertex="' + vertex.id + '">' +
      '<div class="title">' + vertex.operators.map(escape).join(' → ') + '</div>' +
      '<div>parallelism ' + vertex.parallelism + '</div>' +
      '<div>' + number(rate) + ' records/s</div>' +
      '<div>busy ' + percent(busy) + ', backpressured ' + percent(pressure) + '</div>' +
      '<div class="bar"><span class="busy" style="width:' + percent(busy) + '"></span></div>' +
      '<div class="bar"><span class="pressure" style="width:' + percent(pressure) + '"></span></div></div>');
  });
  graph.innerHTML = parts.join('');
}

function renderWatermarks(section, job, nowMs) {
  const operators = [...new Set(job.subtasks.map(t => t.operator))];
  const rows = ['<tr><th class="name">operator</th><th>subtask</th><th>watermark</th><th>newest event time</th>' +
    '<th>behind newest event</th><th>behind processing time</th><th>idle</th></tr>'];
  for (const operator of operators) {
    const subtasks = job.subtasks.filter(t => t.operator === operator);
    chart(section.querySelector('.charts'), job.status.id, operator, subtasks, nowMs);
    for (const t of subtasks) {
      rows.push('<tr><td class="name">' + escape(operator) + '</td><td>' + t.subtask + '</td>' +
        '<td class="watermark" data-job="' + escape(job.status.id) + '" data-operator="' + escape(operator) + '" data-subtask="' + t.subtask +
        '" data-ms="' + (t.watermarkMs ?? '') + '">' + time(t.watermarkMs) + '</td>' +
        '<td>' + time(t.newestEventTimeMs) + '</td>' +
        '<td>' + lag(t.newestEventTimeMs, t.watermarkMs) + '</td><td>' + lag(nowMs, t.watermarkMs) + '</td>' +
        '<td>' + (t.idle ? 'idle' : '') + '</td></tr>');
    }
  }
  section.querySelector('.watermarks').innerHTML = rows.join('');
}

function chart(container, jobId, operator, subtasks, nowMs) {
  const key = jobId + '/' + operator;
  let entry = charts.get(key);
  if (!entry) {
    // Event time on the left axis; processing time on its own, right axis, since a replay's
    // event time can be far from the wall clock.
    const series = [{}, { label: 'processing time', stroke: '#888', dash: [4, 4], scale: 'processing' },
      { label: 'newest event time', stroke: '#e67e22', scale: 'event' }];
    subtasks.forEach(t => series.push({ label: 'watermark [' + t.subtask + ']', stroke: palette(t.subtask), scale: 'event' }));
    const box = element('div', { className: 'chart' });
    container.appendChild(box);
    const data = series.map(() => []);
    const clockAxis = (u, values, axis, space, increment) => clockLabels(values, increment);
    // Wide enough for the labels with milliseconds, and the axis's title beside them.
    const clockSize = (u, values) => values && values.some(v => v.length > 8) ? 100 : 70;
    const plot = new uPlot({
      title: operator, width: 520, height: 220, series, legend: { live: false },
      scales: { x: { time: true }, event: { time: false }, processing: { time: false } },
      axes: [{}, { scale: 'event', size: clockSize, values: clockAxis, label: 'event time' },
        { scale: 'processing', side: 1, size: clockSize, values: clockAxis, label: 'processing time', grid: { show: false } }],
    }, data, box);
    entry = { plot, data };
    charts.set(key, entry);
  }
  const newest = Math.max(...subtasks.map(t => t.newestEventTimeMs ?? -Infinity));
  const point = [nowMs / 1000, nowMs / 1000, Number.isFinite(newest) ? newest / 1000 : null,
    ...subtasks.map(t => t.watermarkMs == null ? null : t.watermarkMs / 1000)];
  entry.data.forEach((column, i) => {
    column.push(point[i] ?? null);
    if (column.length > HISTORY) column.shift();
  });
  entry.plot.setData(entry.data);
}

function renderLate(table, job) {
  const rows = ['<tr><th class="name">operator</th><th>dropped</th><th>dead-lettered (side output)</th>' +
    '<th>late update</th><th>windows missed</th></tr>'];
  for (const operator of [...new Set(job.subtasks.map(t => t.operator))]) {
    const subtasks = job.subtasks.filter(t => t.operator === operator);
    rows.push('<tr><td class="name">' + escape(operator) + '</td><td>' + sum(subtasks, 'lateRecordsDropped') + '</td><td>' +
      sum(subtasks, 'lateRecordsToSideOutput') + '</td><td>' + sum(subtasks, 'lateRecordsUpdated') + '</td><td>' +
      sum(subtasks, 'lateWindowsMissed') + '</td></tr>');
  }
  table.innerHTML = rows.join('');
}

function renderCheckpoints(table, checkpoints) {
  const rows = ['<tr><th>id</th><th class="name">status</th><th>triggered</th><th>duration</th><th>size</th><th>alignment</th></tr>'];
  for (const c of checkpoints.slice(-8).reverse()) {
    rows.push('<tr><td>' + c.id + (c.savepoint ? ' (savepoint)' : '') + '</td><td class="name">' + escape(c.status) + '</td><td>' +
      time(c.triggeredAtMs) + '</td><td>' + (c.durationMs < 0 ? '' : c.durationMs + ' ms') + '</td><td>' + bytes(c.sizeBytes) +
      '</td><td>' + c.alignmentMs + ' ms</td></tr>');
  }
  table.innerHTML = checkpoints.length === 0 ? '<tr><td class="name">none yet</td></tr>' : rows.join('');
}

function renderTopics(topics) {
  const rows = ['<tr><th class="name">topic</th><th>partition</th><th>log start</th><th>log end</th><th>last stable</th><th>size</th></tr>'];
  for (const topic of topics.filter(t => !t.internal)) {
    for (const p of topic.partitions) {
      rows.push('<tr><td class="name">' + escape(topic.name) + '</td><td>' + p.partition + '</td><td>' + p.logStartOffset + '</td><td>' +
        p.logEndOffset + '</td><td>' + p.lastStableOffset + '</td><td>' + bytes(p.sizeBytes) + '</td></tr>');
    }
  }
  document.getElementById('topics').innerHTML = rows.join('');
}

function renderGroups(groups) {
  const parts = [];
  for (const g of groups) {
    parts.push('<h3>' + escape(g.groupId) + ' — ' + escape(g.state) + ', generation ' + g.generation + ', total lag ' + g.totalLag + '</h3>');
    const rows = ['<tr><th class="name">member</th><th class="name">client</th><th class="name">assigned</th></tr>'];
    for (const m of g.members) {
      rows.push('<tr><td class="name">' + escape(m.memberId) + '</td><td class="name">' + escape(m.clientId) + ' ' + escape(m.clientHost) +
        '</td><td class="name">' + m.assignment.map(a => escape(a.topic) + '-' + a.partition).join(', ') + '</td></tr>');
    }
    const lags = ['<tr><th class="name">partition</th><th>committed</th><th>log end</th><th>lag</th></tr>'];
    for (const o of g.offsets) {
      lags.push('<tr><td class="name">' + escape(o.topic) + '-' + o.partition + '</td><td>' + (o.committedOffset ?? '') + '</td><td>' +
        (o.logEndOffset ?? '') + '</td><td>' + (o.lag ?? '') + '</td></tr>');
    }
    parts.push('<table>' + rows.join('') + '</table><table>' + lags.join('') + '</table>');
  }
  document.getElementById('groups').innerHTML = parts.length === 0 ? '<p class="empty">No consumer groups.</p>' : parts.join('');
}

function renderRequests(s, before) {
  const seconds = before ? (s.serverTimeMs - before.serverTimeMs) / 1000 : 0;
  const rows = ['<tr><th class="name">API</th><th>requests</th><th>per second</th><th>errors</th><th>p50</th><th>p99</th></tr>'];
  for (const r of s.requests) {
    const then = before && before.requests.find(b => b.api === r.api);
    const rate = seconds > 0 ? (r.requests - (then ? then.requests : 0)) / seconds : 0;
    rows.push('<tr><td class="name">' + escape(r.api) + '</td><td>' + r.requests + '</td><td>' + number(rate) + '</td><td>' + r.errors +
      '</td><td>≤ ' + r.p50Ms + ' ms</td><td>≤ ' + r.p99Ms + ' ms</td></tr>');
  }
  document.getElementById('requests').innerHTML = rows.join('');
}

function sum(items, field) { return items.reduce((total, item) => total + (item[field] || 0), 0); }
function number(value) { return value >= 100 ? Math.round(value).toLocaleString('en') : value.toFixed(1); }
function percent(share) { return Math.round(share * 100) + '%'; }
function bytes(n) { return n >= 1048576 ? (n / 1048576).toFixed(1) + ' MiB' : n >= 1024 ? (n / 1024).toFixed(1) + ' KiB' : n + ' B'; }
// Local time, as the x axis, the demo's terminal and the machine's clock show it.
function time(ms) {
  if (ms == null) return '—';
  const t = new Date(ms);
  const two = n => String(n).padStart(2, '0');
  return two(t.getHours()) + ':' + two(t.getMinutes()) + ':' + two(t.getSeconds()) + '.' + String(t.getMilliseconds()).padStart(3, '0');
}
// A clock axis's tick labels (values in seconds): to the second, or to the millisecond when
// the ticks are less than a second apart, so that no two ticks read the same.
function clockLabels(values, increment) {
  return values.map(v => v == null ? '' : time(v * 1000).slice(0, increment < 1 ? 12 : 8));
}
function lag(later, earlier) { return later == null || earlier == null ? '—' : ((later - earlier) / 1000).toFixed(1) + ' s'; }
function palette(i) { return ['#2f6f9f', '#27ae60', '#8e44ad', '#c0392b', '#16a085', '#d35400'][i % 6]; }
function text(id, value) { document.getElementById(id).textContent = value; }
function escape(value) {
  return String(value).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
function element(tag, properties) { return Object.assign(document.createElement(tag), properties); }
