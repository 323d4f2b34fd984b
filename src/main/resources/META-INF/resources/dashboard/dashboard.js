// The Bulk Links dashboard: plain JavaScript against the public API. The token from POST /api/auth
// is kept for this tab only; the sync feed is read with fetch, which (unlike EventSource) can send it.
'use strict';

const $ = (id) => document.getElementById(id);
const state = { token: sessionStorage.getItem('bulklinks.token'), project: null, jobs: new Map(),
  failedOffset: 0, activity: null, stream: null };
const FINAL = new Set(['done', 'rejected', 'cancelled']);
const PAGE = 20;
const CHART_MINUTES = 15;

/** A time as the service writes it (Unix seconds), in the reader's own format; empty for none. */
function time(seconds) {
  return seconds ? new Date(seconds * 1000).toLocaleString() : '';
}

async function api(path, options = {}) {
  const response = await fetch(path, { ...options, headers: { 'Content-Type': 'application/json',
    Authorization: 'Bearer ' + state.token, ...(options.headers || {}) } });
  if (response.status === 401) {
    signOut('Your session has ended; sign in again.');
    throw new Error('signed out');
  }
  keepToken(response);
  const body = await response.json();
  if (!body.success) {
    throw new Error(body.result.message);
  }
  return body.result;
}

// A sign-in answers the token bare in its Authorization header, and any later answer may carry a
// renewed one there (the token was past half its lifetime): switch to it, so the page stays signed in.
function keepToken(response) {
  const token = response.headers.get('Authorization');
  if (token) {
    state.token = token;
    sessionStorage.setItem('bulklinks.token', token);
  }
}

function show(id) {
  for (const section of ['login', 'overview', 'job']) {
    $(section).hidden = section !== id;
  }
  $('project-picker').hidden = id === 'login';
  $('logout').hidden = id === 'login';
}

function signOut(message) {
  sessionStorage.removeItem('bulklinks.token');
  state.token = null;
  stopFollowing();
  $('login-error').textContent = message || '';
  show('login');
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const response = await fetch('/api/auth', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ api_key: $('api-key').value }) });
  const body = await response.json();
  if (!response.ok) {
    $('login-error').textContent = body.result.message;
    return;
  }
  keepToken(response);
  $('user').textContent = body.result.user;
  start();
});

$('logout').addEventListener('click', () => signOut());

async function start() {
  const projects = (await api('/api/projects')).projects.map((p) => p.name);
  const select = $('project');
  select.innerHTML = '';
  for (const name of projects) {
    select.add(new Option(name, name));
  }
  const wanted = new URLSearchParams(location.search).get('project') || sessionStorage.getItem('bulklinks.project');
  state.project = projects.includes(wanted) ? wanted : projects[0];
  select.value = state.project || '';
  route();
}

$('project').addEventListener('change', () => {
  stopFollowing();
  state.webhook = null;
  $('deliveries').hidden = true;
  $('deliveries-title').hidden = true; // else the old project's jobs keep arriving, and the new one's never do
  state.project = $('project').value;
  sessionStorage.setItem('bulklinks.project', state.project);
  // The address names the project shown, so that a reload or the next sign-in stays on it.
  history.replaceState(null, '', `?project=${encodeURIComponent(state.project)}`);
  location.hash = '';
  route();
});

window.addEventListener('hashchange', route);

function route() {
  if (!state.token) {
    show('login');
    return;
  }
  const match = location.hash.match(/^#job\/([0-9a-f-]{36})$/);
  if (match) {
    openJob(match[1]).catch((e) => {
      location.hash = '';
      $('filter-error').textContent = e.message; // e.g. a token of no job of this project
    });
  } else {
    openOverview();
  }
  follow();
}

// ---- overview ---------------------------------------------------------------------------------

async function openOverview() {
  show('overview');
  if (!state.project) {
    return;
  }
  const [counts, page] = await Promise.all([api(`/api/p/${state.project}/jobs/counts`),
    api(`/api/p/${state.project}/jobs?limit=${PAGE}${filterQuery()}`)]);
  renderCounts(counts);
  state.jobs.clear();
  $('jobs').tBodies[0].innerHTML = '';
  for (const job of page.jobs) {
    updateJob(job);
  }
  await Promise.all([loadActivity(), loadInstances(), loadWebhooks()]);
}

// ---- filters ----------------------------------------------------------------------------------

/** The list's filters as query parameters of GET .../jobs. */
function filterQuery() {
  const filters = { status: $('filter-status').value, kind: $('filter-kind').value,
    submitted_by: $('filter-submitter').value.trim() };
  return Object.entries(filters).filter(([, value]) => value)
    .map(([name, value]) => `&${name}=${encodeURIComponent(value)}`).join('');
}

/** Whether a job the stream reports belongs in the filtered list. */
function matchesFilters(job) {
  return (!$('filter-status').value || job.status === $('filter-status').value)
    && (!$('filter-kind').value || job.job === $('filter-kind').value)
    && (!$('filter-submitter').value.trim() || job.submitted_by === $('filter-submitter').value.trim());
}

$('filters').addEventListener('submit', (event) => {
  event.preventDefault();
  $('filter-error').textContent = '';
  const token = $('find-token').value.trim().toLowerCase();
  if (token) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(token)) {
      $('filter-error').textContent = 'A job token looks like 77efdebe-0c1d-4e3f-9a8b-1c2d3e4f5a6b.';
      return;
    }
    $('find-token').value = '';
    location.hash = `#job/${token}`;
    return;
  }
  openOverview().catch((e) => { $('filter-error').textContent = e.message; });
});

function renderCounts(counts) {
  $('counts').innerHTML = ['queued', 'processing', 'done', 'rejected', 'cancelled']
    .map((status) => `<li data-status="${status}"><b>${counts[status] || 0}</b>${status}</li>`).join('');
}

function row(job) {
  const token = job['job.token'];
  let tr = document.getElementById('job-' + token);
  if (!tr) {
    tr = document.createElement('tr');
    tr.id = 'job-' + token;
    tr.innerHTML = `<td><a href="#job/${token}">${token.substring(0, 8)}</a></td><td>${job.job}</td>
      <td class="status"></td><td><progress max="1" value="0"></progress> <span class="percent"></span></td>
      <td class="rate"></td><td class="eta"></td><td>${new Date(job.created_on * 1000).toLocaleTimeString()}</td>`;
    const body = $('jobs').tBodies[0];
    body.insertBefore(tr, body.firstChild);
    while (body.rows.length > PAGE) {
      body.deleteRow(body.rows.length - 1);
    }
  }
  return tr;
}

/** Shows a job's latest state; items per second and time left come from the previous update. */
function updateJob(job) {
  const token = job['job.token'];
  const done = job.info.succeeded + job.info.failed;
  const now = Date.now();
  const seen = state.jobs.get(token);
  let rate = seen ? seen.rate : null;
  if (seen && done > seen.done && now > seen.at) {
    rate = (done - seen.done) / ((now - seen.at) / 1000);
  }
  state.jobs.set(token, { done, at: now, rate, status: job.status });
  const tr = row(job);
  const percent = job.info.total ? Math.floor((100 * done) / job.info.total) : 0;
  tr.querySelector('.status').textContent = job.status;
  tr.querySelector('progress').max = job.info.total || 1;
  tr.querySelector('progress').value = done;
  tr.querySelector('.percent').textContent = percent + '%';
  tr.querySelector('.rate').textContent = rate && !FINAL.has(job.status) ? Math.round(rate).toLocaleString() : '';
  tr.querySelector('.eta').textContent = rate && !FINAL.has(job.status) ? duration(job.info.remaining / rate) : '';
}

function duration(seconds) {
  if (seconds < 60) {
    return Math.ceil(seconds) + ' s';
  }
  return Math.floor(seconds / 60) + ' min ' + Math.ceil(seconds % 60) + ' s';
}

// ---- the live feed ----------------------------------------------------------------------------

/** Ends the running stream, if any, so that the next follow() starts one. */
function stopFollowing() {
  if (state.stream) {
    state.stream.abort();
    state.stream = null;
  }
}

/** Follows the project's sync feed from now on; reconnects with the last event id if it drops. */
async function follow() {
  if (state.stream || !state.project || !state.token) {
    return;
  }
  const controller = new AbortController();
  state.stream = controller;
  try {
    await followWith(controller, state.project);
  } finally {
    // However it ended (a sign-out, an expired session, another project), the next follow() starts anew.
    if (state.stream === controller) {
      state.stream = null;
    }
  }
}

async function followWith(controller, project) {
  let lastId = null;
  while (!controller.signal.aborted && project === state.project) {
    try {
      const headers = { Authorization: 'Bearer ' + state.token, Accept: 'text/event-stream' };
      if (lastId) {
        headers['Last-Event-ID'] = lastId;
      }
      const response = await fetch(`/sync/stream?project=${project}`, { headers, signal: controller.signal });
      if (response.status === 401) {
        signOut('Your session has ended; sign in again.');
        return;
      }
      keepToken(response);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          break;
        }
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.substring(0, end);
          buffer = buffer.substring(end + 2);
          const event = parse(block);
          if (event.id) {
            lastId = event.id;
          }
          if (event.name === 'jobs' && event.data) {
            onJobEvent(JSON.parse(event.data).data);
          }
        }
      }
    } catch (e) {
      if (controller.signal.aborted) {
        return;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function parse(block) {
  const event = { data: '' };
  for (const line of block.split('\n')) {
    if (line.startsWith('id:')) {
      event.id = line.substring(3).trim();
    } else if (line.startsWith('event:')) {
      event.name = line.substring(6).trim();
    } else if (line.startsWith('data:')) {
      event.data += line.substring(5).trim();
    }
  }
  return event;
}

let countsPending = false;

function onJobEvent(job) {
  if (job.project_gid !== state.project) {
    return; // a stream of a project left a moment ago
  }
  if (!state.jobs.has(job['job.token']) && !matchesFilters(job)) {
    return;
  }
  const known = state.jobs.get(job['job.token']);
  updateJob(job);
  if (!known || known.status !== job.status) {
    refreshCounts();
  }
  if (!$('job').hidden && $('job-token').textContent === job['job.token']) {
    renderJob(job);
  }
}

function refreshCounts() {
  if (countsPending) {
    return;
  }
  countsPending = true;
  setTimeout(async () => {
    countsPending = false;
    renderCounts(await api(`/api/p/${state.project}/jobs/counts`));
  }, 500);
}

// ---- chart ------------------------------------------------------------------------------------

/** The project's last minutes, from the server: whichever instance did the work, whenever the page opened. */
async function loadActivity() {
  if (!state.token || !state.project || $('overview').hidden) {
    return;
  }
  state.activity = await api(`/api/p/${state.project}/jobs/activity?minutes=${CHART_MINUTES}`);
  const points = state.activity.points;
  const processed = points.reduce((sum, p) => sum + p.processed, 0);
  const waiting = points.length ? points[points.length - 1].waiting : 0;
  $('chart-summary').textContent = `${processed.toLocaleString()} items processed in the last ${CHART_MINUTES} minutes;`
    + ` ${waiting.toLocaleString()} waiting now.`;
  $('chart-step').textContent = state.activity.step;
  $('chart-minutes').textContent = CHART_MINUTES;
  draw();
}

setInterval(() => loadActivity().catch(() => {}), 5000);

// ---- instances --------------------------------------------------------------------------------

/** The service's instances, for admins (others get 403 and do not see the section). */
async function loadInstances() {
  if (!state.token || $('overview').hidden) {
    return;
  }
  let result;
  try {
    result = await api('/api/admin/instances');
  } catch (e) {
    $('instances-section').hidden = true;
    return;
  }
  $('instances-section').hidden = false;
  $('instances').tBodies[0].innerHTML = result.instances.map((i) => `<tr class="${i.alive ? 'alive' : 'gone'}">`
    + `<td>${escape(i.name)}</td><td>${i.alive ? 'alive' : (i.stopped_on ? 'stopped' : 'gone')}</td>`
    + `<td>${i.workers_busy}</td><td>${i.workers_idle}</td><td>${i.chunks_last_minute}</td>`
    + `<td>${time(i.started_on)}</td><td>${time(i.seen_on)}</td></tr>`).join('');
}

setInterval(() => loadInstances().catch(() => {}), 5000);

// ---- webhooks ---------------------------------------------------------------------------------

/** The project's webhooks, for its admins and managers (others get 403 and do not see the section). */
async function loadWebhooks() {
  if (!state.token || !state.project || $('overview').hidden) {
    return;
  }
  let result;
  try {
    result = await api(`/api/p/${state.project}/webhooks`);
  } catch (e) {
    $('webhooks-section').hidden = true;
    return;
  }
  $('webhooks-section').hidden = result.webhooks.length === 0;
  $('webhooks').tBodies[0].innerHTML = result.webhooks.map((w) => `<tr id="webhook-${w.id}"><td>${escape(w.url)}</td>`
    + `<td>${escape(w.events.join(', '))}</td><td>${time(w.created_on)}</td>`
    + `<td><button data-webhook="${w.id}" data-url="${escape(w.url)}">deliveries</button></td></tr>`).join('');
  if (state.webhook) {
    await loadDeliveries();
  }
}

/** The last deliveries of the webhook chosen, newest first. */
async function loadDeliveries() {
  const page = await api(`/api/p/${state.project}/webhooks/${state.webhook.id}/deliveries?limit=${PAGE}`);
  $('deliveries-url').textContent = state.webhook.url;
  $('deliveries-title').hidden = false;
  $('deliveries').hidden = false;
  $('deliveries').tBodies[0].innerHTML = page.deliveries.map((d) => `<tr class="${d.state}"><td>${time(d.created_on)}</td>`
    + `<td>${d.event}</td><td><a href="#job/${d['job.token']}">${d['job.token'].substring(0, 8)}</a></td>`
    + `<td class="state">${d.state}</td><td>${d.attempts}</td><td>${d.last_status ?? ''}</td>`
    + `<td>${escape(d.last_error ?? '')}</td><td>${d.state === 'pending' ? time(d.next_attempt_on) : ''}</td></tr>`).join('');
}

$('webhooks').addEventListener('click', (event) => {
  const button = event.target.closest('button[data-webhook]');
  if (button) {
    state.webhook = { id: button.dataset.webhook, url: button.dataset.url };
    loadDeliveries().catch(() => {});
  }
});

setInterval(() => loadWebhooks().catch(() => {}), 5000);

function draw() {
  const canvas = $('chart');
  const g = canvas.getContext('2d');
  g.clearRect(0, 0, canvas.width, canvas.height);
  const points = state.activity ? state.activity.points : [];
  const max = Math.max(1, ...points.map((p) => Math.max(p.processed, p.waiting)));
  const step = canvas.width / Math.max(1, points.length);
  points.forEach((p, i) => {
    const h = (p.processed / max) * (canvas.height - 10);
    g.fillStyle = '#2a9d8f';
    g.fillRect(i * step, canvas.height - h, step - 1, h);
  });
  g.strokeStyle = '#e76f51';
  g.beginPath();
  points.forEach((p, i) => {
    const y = canvas.height - (p.waiting / max) * (canvas.height - 10);
    if (i === 0) {
      g.moveTo(i * step, y);
    } else {
      g.lineTo(i * step, y);
    }
  });
  g.stroke();
}

// ---- one job ----------------------------------------------------------------------------------

async function openJob(token) {
  show('job');
  state.failedOffset = 0;
  $('job-error').textContent = '';
  // The job's events that arrive while it is fetched are rendered (its token is shown at once), and an
  // answer older than them is then kept out by renderJob: a job that ends during the fetch shows its end.
  state.shown = { token, updated: -Infinity };
  $('job-token').textContent = token;
  $('job-status').textContent = '';
  $('job-counters').innerHTML = '';
  $('failed').tBodies[0].innerHTML = '';
  $('failed-page').textContent = '';
  renderJob(await api(`/api/p/${state.project}/jobs/${token}`));
}

function renderJob(job) {
  // An answer fetched before the last event arrived must not undo it: keep the newest view of the job.
  if (state.shown && state.shown.token === job['job.token'] && state.shown.updated > job.updated_on) {
    return;
  }
  const before = state.shown;
  state.shown = { token: job['job.token'], updated: job.updated_on, failed: job.info.failed };
  const done = job.info.succeeded + job.info.failed;
  $('job-token').textContent = job['job.token'];
  $('job-status').textContent = job.status;
  $('job-kind').textContent = job.job + (job.submitted_by ? ' by ' + job.submitted_by : '');
  $('job-progress').max = job.info.total || 1;
  $('job-progress').value = done;
  $('cancel').hidden = FINAL.has(job.status);
  // POST .../retry makes a job of the failed items (a record link job has no items of its own to retry).
  $('retry').hidden = !FINAL.has(job.status) || job.info.failed === 0 || job.job === 'bulk_link_records';
  $('job-counters').innerHTML = ['total', 'remaining', 'succeeded', 'failed']
    .map((k) => `<dt>${k}</dt><dd id="count-${k}">${job.info[k].toLocaleString()}</dd>`).join('');
  $('job-timeline').innerHTML = `<dt>created</dt><dd>${time(job.created_on)}</dd>
    <dt>started</dt><dd>${time(job.started_on)}</dd><dt>finished</dt><dd>${time(job.finished_on)}</dd>`;
  // Its failed items are read when the job is opened and again whenever more of them fail: a job that
  // ends while its page is open shows the failures of its last chunks.
  if (!before || before.token !== job['job.token'] || before.failed !== job.info.failed) {
    loadFailed();
  }
}

/** Shows a page of the job's failed items; says why when they cannot be read. */
function loadFailed() {
  loadFailedPage().catch((e) => { $('job-error').textContent = e.message; });
}

async function loadFailedPage() {
  const token = $('job-token').textContent;
  const offset = state.failedOffset;
  const page = await api(`/api/p/${state.project}/jobs/${token}/results?outcome=failed&offset=${offset}&limit=${PAGE}`);
  // An answer overtaken by another job or page (a slow one, for the job shown before) is not shown.
  if ($('job-token').textContent !== token || state.failedOffset !== offset) {
    return;
  }
  $('failed').tBodies[0].innerHTML = page.items.map((item) => `<tr><td>${item.index}</td>
    <td>${item.error.code}</td><td>${escape(item.error.message)}</td></tr>`).join('');
  $('failed-page').textContent = page.total ? `${state.failedOffset + 1}–${state.failedOffset + page.items.length} of ${page.total}` : 'none';
  $('failed-prev').disabled = state.failedOffset === 0;
  $('failed-next').disabled = state.failedOffset + PAGE >= page.total;
}

$('failed-prev').addEventListener('click', () => { state.failedOffset = Math.max(0, state.failedOffset - PAGE); loadFailed(); });
$('failed-next').addEventListener('click', () => { state.failedOffset += PAGE; loadFailed(); });

$('retry').addEventListener('click', async () => {
  $('job-error').textContent = '';
  try {
    const retry = await api(`/api/p/${state.project}/jobs/${$('job-token').textContent}/retry`, { method: 'POST' });
    location.hash = `#job/${retry['job.token']}`;
  } catch (e) {
    $('job-error').textContent = e.message;
  }
});

$('cancel').addEventListener('click', async () => {
  const token = $('job-token').textContent;
  renderJob(await api(`/api/p/${state.project}/jobs/${token}/cancel`, { method: 'POST' }));
});

function escape(text) {
  const div = document.createElement('div');
  div.textContent = text;
  return div.innerHTML;
}

if (state.token) {
  start().catch(() => signOut());
} else {
  show('login');
}
