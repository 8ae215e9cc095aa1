// The hot-leads page: plain ES module, no framework. signalR comes from lib/signalr (a classic script, global),
// uPlot from lib/uplot (ES module); both are copied there from npm by the host build.
import uPlot from './lib/uplot/uPlot.esm.js';

const KEY = 'scorehub.feedKey';
const SCORE = 'scorehub.feedScore';
const SHOWN = ['hot', 'warm'];

const $ = (id) => document.getElementById(id);
const leads = new Map();      // contactId -> lead (latest known state for the selected score)
const rows = new Map();       // contactId -> <li>
const open = new Set();       // contactIds whose "why" is expanded
const refreshTimers = new Map();
let connection = null;
let scoreId = null;
let reloading = 0;            // list reads in flight
let held = [];                // scoreChanged messages received meanwhile: applied after the lists, in order

const isShown = (label) => SHOWN.includes((label ?? '').toLowerCase());
const display = (lead) => lead.name || lead.email || lead.contactId;
const fmtTime = (iso) => iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : 'never';
const fmtPoints = (n) => (Math.round(n * 100) / 100).toString();

async function api(path) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${sessionStorage.getItem(KEY)}` } });
  if (!response.ok) {
    const error = new Error(`${path}: ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return response.json();
}

// ---- sign in / out -------------------------------------------------------------------------------------------

function showSignIn(message = '') {
  $('sign-in').hidden = false;
  $('feed').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in-error').textContent = message;
  setStatus('offline');
}

$('sign-in').addEventListener('submit', async (event) => {
  event.preventDefault();
  sessionStorage.setItem(KEY, $('key').value.trim());
  $('key').value = '';
  if ('Notification' in window && Notification.permission === 'default') {
    Notification.requestPermission().catch(() => {});
  }
  await start();
});

$('sign-out').addEventListener('click', async () => {
  sessionStorage.removeItem(KEY);
  await connection?.stop();
  connection = null;
  showSignIn();
});

async function start() {
  let scores;
  try {
    // Contact scores only: company scores (model "object": "company") rank companies, not leads.
    scores = (await api('/api/v1/scores')).filter((s) => s.publishedVersion != null
      && s.versions.find((v) => v.version === s.publishedVersion)?.model?.object !== 'company');
  } catch (error) {
    sessionStorage.removeItem(KEY);
    showSignIn(error.status === 401 ? 'Unknown key.' : error.status === 403 ? 'This key cannot read the feed; use the feed key.' : `Sign-in failed (${error.message}).`);
    return;
  }

  $('sign-in').hidden = true;
  $('feed').hidden = false;
  $('sign-out').hidden = false;
  const select = $('score');
  select.replaceChildren(...scores.map((s) => new Option(s.name, s.id)));
  const remembered = sessionStorage.getItem(SCORE);
  if (remembered && scores.some((s) => s.id === remembered)) select.value = remembered;
  scoreId = select.value || null;
  if (!scoreId) {
    $('empty').textContent = 'No published score in this workspace yet.';
    $('empty').hidden = false;
  }

  await connect();
}

// ---- live connection -----------------------------------------------------------------------------------------

function setStatus(state) {
  $('status').dataset.state = state;
  $('status').textContent = state;
}

async function connect() {
  await connection?.stop();
  connection = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/leads', { accessTokenFactory: () => sessionStorage.getItem(KEY) })
    .withAutomaticReconnect()
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  connection.on('scoreChanged', onScoreChanged);
  connection.on('labelChanged', onLabelChanged);
  connection.on('notification', (n) => toast(n.text ? `${n.title}: ${n.text}` : n.title, n.level));
  // Sent once the server delivers changes to this connection (again after every reconnect): only then is the
  // current state read, so nothing that changes in between is missed.
  connection.on('subscribed', () => { setStatus('live'); reload(); });
  connection.onreconnecting(() => setStatus('reconnecting'));
  connection.onclose(() => setStatus('offline'));
  try {
    setStatus('connecting');
    await connection.start();
  } catch (error) {
    setStatus('offline');
    toast(`Live updates unavailable: ${error.message}`);
    await reload();
  }
}

function onScoreChanged(m) {
  if (reloading > 0) { held.push(m); return; }
  if (m.scoreId !== scoreId) return;
  if (!isShown(m.label)) {
    leads.delete(m.contactId);
  } else {
    leads.set(m.contactId, {
      contactId: m.contactId, name: m.name, email: m.email, company: m.company, owner: m.owner,
      value: m.value, label: m.label, lastTouch: m.lastTouch,
    });
  }
  render(m.contactId);
  if (open.has(m.contactId)) scheduleWhy(m.contactId);
}

function onLabelChanged(m) {
  if (m.scoreId !== scoreId || m.kind !== 'becameHot') return;
  const who = m.name || m.email || m.contactId;
  toast(`${who}${m.company ? ` (${m.company})` : ''} is hot: ${fmtPoints(m.value)}`, 'hot');
  if ('Notification' in window && Notification.permission === 'granted' && document.hidden) {
    new Notification('Hot lead', { body: `${who} reached ${fmtPoints(m.value)}` });
  }
  if ($('sound').checked) beep();
}

// ---- lists ---------------------------------------------------------------------------------------------------

async function reload() {
  if (!scoreId) return;
  reloading++;
  try {
    const [hot, warm] = await Promise.all(SHOWN.map((label) =>
      api(`/api/v1/scores/${encodeURIComponent(scoreId)}/records?label=${label}&sort=-score&limit=500`)));
    leads.clear();
    for (const r of [...hot, ...warm]) leads.set(r.contactId, r);
    for (const [id, li] of rows) if (!leads.has(id)) { li.remove(); rows.delete(id); }
    render();
    for (const id of open) if (leads.has(id)) scheduleWhy(id);
  } finally {
    // A change read with the lists may arrive again after them; replaying in order still ends at the latest state.
    if (--reloading === 0) { const replay = held; held = []; replay.forEach(onScoreChanged); }
  }
}

function visible() {
  const label = $('label-filter').value;
  const owner = $('owner-filter').value;
  return [...leads.values()]
    .filter((l) => (!label || l.label?.toLowerCase() === label) && (!owner || l.owner === owner))
    .sort((a, b) => b.value - a.value || (a.contactId < b.contactId ? -1 : 1));
}

function render(flashId) {
  updateOwners();
  const list = $('leads');
  const shown = visible();
  const keep = new Set(shown.map((l) => l.contactId));
  for (const [id, li] of rows) if (!keep.has(id)) { li.remove(); if (!leads.has(id)) { rows.delete(id); open.delete(id); } }
  shown.forEach((lead, index) => {
    const li = rows.get(lead.contactId) ?? createRow(lead.contactId);
    fill(li, lead);
    if (list.children[index] !== li) list.insertBefore(li, list.children[index] ?? null);
  });
  $('empty').hidden = shown.length > 0 || !scoreId;
  if (flashId && rows.has(flashId) && keep.has(flashId)) {
    const li = rows.get(flashId);
    li.classList.add('flash');
    setTimeout(() => li.classList.remove('flash'), 700);
  }
}

function createRow(contactId) {
  const li = document.createElement('li');
  li.className = 'lead';
  li.dataset.contactId = contactId;
  li.innerHTML = `
    <div class="row" role="button" tabindex="0" aria-expanded="false">
      <div class="who"><div class="name"></div><div class="company"></div><div class="owner"></div></div>
      <div class="touch-cell"><div class="touch"></div></div>
      <div class="score"></div>
      <div class="label-cell"><span class="label"></span></div>
      <div class="chevron" aria-hidden="true">&#9656;</div>
    </div>
    <div class="why"><div class="breakdown">Loading...</div><div class="chart"></div></div>`;
  const row = li.querySelector('.row');
  const toggle = () => {
    const isOpen = li.classList.toggle('open');
    row.setAttribute('aria-expanded', String(isOpen));
    if (isOpen) { open.add(contactId); loadWhy(contactId); } else { open.delete(contactId); }
  };
  row.addEventListener('click', toggle);
  row.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(); } });
  rows.set(contactId, li);
  return li;
}

function fill(li, lead) {
  li.querySelector('.name').textContent = display(lead);
  li.querySelector('.company').textContent = lead.company ?? '';
  li.querySelector('.owner').textContent = lead.owner ? `owner: ${lead.owner}` : '';
  li.querySelector('.touch').textContent = `last touch ${fmtTime(lead.lastTouch)}`;
  li.querySelector('.score').textContent = fmtPoints(lead.value);
  const label = li.querySelector('.label');
  label.textContent = lead.label ?? '';
  label.className = `label ${(lead.label ?? '').toLowerCase()}`;
}

function updateOwners() {
  const select = $('owner-filter');
  const owners = [...new Set([...leads.values()].map((l) => l.owner).filter(Boolean))].sort();
  const current = [...select.options].slice(1).map((o) => o.value);
  if (owners.join('\n') === current.join('\n')) return;
  const selected = select.value;
  select.replaceChildren(new Option('everyone', ''), ...owners.map((o) => new Option(o, o)));
  select.value = owners.includes(selected) ? selected : '';
}

// ---- why: breakdown as of now, and the history chart -----------------------------------------------------------

function scheduleWhy(contactId) {
  clearTimeout(refreshTimers.get(contactId));
  refreshTimers.set(contactId, setTimeout(() => loadWhy(contactId), 250));
}

async function loadWhy(contactId) {
  const li = rows.get(contactId);
  if (!li) return;
  const id = encodeURIComponent(contactId);
  try {
    const [scores, history] = await Promise.all([
      api(`/api/v1/contacts/${id}/scores`),
      api(`/api/v1/contacts/${id}/scores/${encodeURIComponent(scoreId)}/history`),
    ]);
    const score = scores.find((s) => s.scoreId === scoreId);
    renderBreakdown(li.querySelector('.breakdown'), score);
    renderChart(li.querySelector('.chart'), history);
  } catch (error) {
    li.querySelector('.breakdown').textContent = `Could not load the breakdown (${error.message}).`;
  }
}

function renderBreakdown(target, score) {
  if (!score) { target.textContent = 'No breakdown.'; return; }
  const table = document.createElement('table');
  const add = (cls, text, points, note) => {
    const tr = table.insertRow();
    tr.className = cls;
    const name = tr.insertCell();
    name.textContent = text;
    if (note) { const span = document.createElement('span'); span.className = 'decayed'; span.textContent = ` ${note}`; name.append(span); }
    const pts = tr.insertCell();
    pts.className = 'pts';
    pts.textContent = points;
  };
  for (const group of score.groups) {
    const capped = group.limit != null && group.raw > group.value ? ` (capped at ${fmtPoints(group.limit)})` : '';
    add('group', group.name + capped, fmtPoints(group.value));
    for (const rule of group.rules) {
      const original = rule.events.reduce((sum, e) => sum + e.original, 0);
      const current = rule.events.reduce((sum, e) => sum + e.current, 0);
      const note = rule.events.length > 0
        ? `${rule.events.length}x${current !== original ? `, ${fmtPoints(original)} before decay` : ''}`
        : '';
      add('rule', rule.description, fmtPoints(rule.points), note);
    }
  }
  const caption = table.createCaption();
  caption.textContent = `${fmtPoints(score.value ?? 0)} points as of ${fmtTime(score.asOf)}`;
  target.replaceChildren(table);
}

function renderChart(target, history) {
  target.replaceChildren();
  if (history.length === 0) return;
  const xs = history.map((h) => new Date(h.at).getTime() / 1000);
  const ys = history.map((h) => h.newValue);
  const width = Math.max(240, Math.min(target.clientWidth || 600, 800));
  // A history whose changes all share one instant would give uPlot an empty x range: pad it by an hour each side.
  const [min, max] = [Math.min(...xs), Math.max(...xs)];
  const range = max - min < 60 ? [min - 3600, max + 3600] : [min, max];
  new uPlot({
    width, height: 160, legend: { show: false },
    scales: { x: { time: true, range: () => range } },
    series: [{}, { label: 'score', stroke: '#d93a2b', width: 2, points: { show: true } }],
    axes: [{}, { size: 40 }],
  }, [xs, ys], target);
}

// ---- toasts and sound ----------------------------------------------------------------------------------------

function toast(text, kind = '') {
  const div = document.createElement('div');
  div.className = `toast ${kind}`;
  div.textContent = text;
  $('toasts').append(div);
  setTimeout(() => div.remove(), 6000);
}

function beep() {
  try {
    const audio = new AudioContext();
    const osc = audio.createOscillator();
    osc.frequency.value = 880;
    osc.connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 0.15);
  } catch { /* no audio: the toast is enough */ }
}

// ---- controls ------------------------------------------------------------------------------------------------

$('score').addEventListener('change', async () => {
  scoreId = $('score').value;
  sessionStorage.setItem(SCORE, scoreId);
  for (const li of rows.values()) li.remove();
  rows.clear();
  open.clear();
  await reload();
});
$('label-filter').addEventListener('change', () => render());
$('owner-filter').addEventListener('change', () => render());

if (sessionStorage.getItem(KEY)) start(); else showSignIn();
