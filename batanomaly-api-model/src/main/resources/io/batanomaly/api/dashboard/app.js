// The Anomalies page: sign-in, the list with its filters and paging, the detail with its triage
// actions, polling for new anomalies and for verification outcomes. State that survives a
// reload lives in the URL (tenant, filters, page, opened anomaly) and in sessionStorage (the
// token and the tenants); nothing else is stored.

import { AnomalyApi, ApiError, newIdempotencyKey } from './api.js';
import {
  badge, el, metricLabel, metricValue, originLabel, subjectOf, timeElement,
  typeLabel,
} from './format.js';

const $ = (id) => document.getElementById(id);

function meta(name) {
  const node = document.querySelector(`meta[name="${name}"]`);
  return node ? node.getAttribute('content') : '';
}

const config = {
  api: meta('batanomaly-api'),
  page: meta('batanomaly-page') || window.location.pathname,
  pollMillis: Math.max(100, Number(meta('batanomaly-poll-millis')) || 5000),
  bearer: meta('batanomaly-sign-in') !== 'host',
  types: meta('batanomaly-types').split(',').filter((t) => t.length > 0),
};

const POLICY_TYPES = new Set(['HIGH_FAILURE_RATE', 'ZOMBIE_VERSION', 'PERFORMANCE_DEGRADATION']);
const AUDIT_TYPES = new Set(['VOLUME_SPIKE', 'ERROR_RATE', 'BRUTE_FORCE', 'MASS_DELETE',
  'SILENT_SERVICE']);
const DAYS = ['1', '7', '14', '30', '90', '365'];
const SIZES = ['10', '20', '50', '100'];
const STORE = {
  token: 'batanomaly.token',
  tenants: 'batanomaly.tenants',
  tenant: 'batanomaly.tenant',
};
const TENANT_PATTERN = /^[^\s,]{1,128}$/;

const session = {
  token: null,
  tenants: [],
  tenant: null,
};

const state = {
  view: null,
  filters: { type: '', days: 7, page: 0, size: 20 },
  id: null,
  lastOpenedId: null,
  listKey: null,
  listIds: null,
  listSeq: 0,
  listSignature: null,
  detail: null,
  detailSeq: 0,
  busy: false,
  pending: null,
  verifyWatch: null,
  pollTimer: null,
};

const api = new AnomalyApi(config.api, () => (config.bearer ? session.token : null));

// ---------------------------------------------------------------- messages and focus

let announceTimer = null;

/** Says something to screen readers through the polite live region. */
function announce(message) {
  const region = $('announcer');
  region.textContent = '';
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => {
    region.textContent = message;
  }, 50);
}

function showNotice(node, error, prefix) {
  node.replaceChildren();
  if (error instanceof ApiError) {
    const heading = error.status > 0 ? `${error.status} ${error.reason}` : error.reason;
    node.append(el('strong', { className: 'notice-title', text: prefix ? `${prefix} · ${heading}` : heading }));
    node.append(el('span', { className: 'api-message', text: error.message }));
  } else {
    node.append(el('span', { className: 'api-message', text: String(error && error.message ? error.message : error) }));
  }
  node.hidden = false;
}

function hideNotice(node) {
  node.hidden = true;
  node.replaceChildren();
}

function focus(node) {
  if (node) {
    node.focus({ preventScroll: false });
  }
}

// ---------------------------------------------------------------- session

function loadSession() {
  try {
    session.token = sessionStorage.getItem(STORE.token);
    session.tenants = JSON.parse(sessionStorage.getItem(STORE.tenants) || '[]')
      .filter((t) => typeof t === 'string' && TENANT_PATTERN.test(t));
    session.tenant = sessionStorage.getItem(STORE.tenant);
  } catch (e) {
    session.token = null;
    session.tenants = [];
  }
  if (!session.tenants.includes(session.tenant)) {
    session.tenant = session.tenants[0] || null;
  }
}

function saveSession() {
  if (config.bearer && session.token) {
    sessionStorage.setItem(STORE.token, session.token);
  } else {
    sessionStorage.removeItem(STORE.token);
  }
  sessionStorage.setItem(STORE.tenants, JSON.stringify(session.tenants));
  if (session.tenant) {
    sessionStorage.setItem(STORE.tenant, session.tenant);
  }
}

function signedIn() {
  return session.tenants.length > 0 && (!config.bearer || Boolean(session.token));
}

function parseTenants(text) {
  const tenants = [];
  for (const raw of text.split(/[\s,]+/)) {
    if (raw.length > 0 && !tenants.includes(raw)) {
      tenants.push(raw);
    }
  }
  return tenants;
}

function onSignIn(event) {
  event.preventDefault();
  const error = $('sign-in-error');
  const token = $('token').value.trim();
  const tenants = parseTenants($('tenants').value);
  const problems = [];
  if (config.bearer && token.length === 0) {
    problems.push({ field: $('token'), message: 'Enter your bearer token.' });
  }
  if (tenants.length === 0) {
    problems.push({ field: $('tenants'), message: 'Enter at least one tenant.' });
  }
  const bad = tenants.filter((t) => !TENANT_PATTERN.test(t));
  if (bad.length > 0) {
    problems.push({ field: $('tenants'), message: `Tenant ids are at most 128 characters, but "${bad[0].slice(0, 40)}…" is longer.` });
  }
  $('token').removeAttribute('aria-invalid');
  $('tenants').removeAttribute('aria-invalid');
  if (problems.length > 0) {
    error.replaceChildren(el('span', { text: problems.map((p) => p.message).join(' ') }));
    error.hidden = false;
    problems.forEach((p) => p.field.setAttribute('aria-invalid', 'true'));
    focus(problems[0].field);
    return;
  }
  hideNotice(error);
  session.token = config.bearer ? token : null;
  session.tenants = tenants;
  const wanted = new URLSearchParams(window.location.search).get('tenant');
  session.tenant = tenants.includes(wanted) ? wanted : tenants[0];
  saveSession();
  $('token').value = '';
  renderTenants();
  announce(`Signed in. Showing the anomalies of ${session.tenant}.`);
  route({ focusView: true });
}

function signOut(reason) {
  sessionStorage.removeItem(STORE.token);
  sessionStorage.removeItem(STORE.tenants);
  sessionStorage.removeItem(STORE.tenant);
  session.token = null;
  session.tenants = [];
  session.tenant = null;
  state.listIds = null;
  state.listKey = null;
  state.listSignature = null;
  state.detail = null;
  stopPolling();
  $('anomaly-rows').replaceChildren();
  showSignIn(reason);
}

function renderTenants() {
  const select = $('tenant-select');
  select.replaceChildren(...session.tenants.map((t) => el('option', { value: t, text: t })));
  select.value = session.tenant;
  $('session-bar').hidden = false;
}

function onTenantChange() {
  const tenant = $('tenant-select').value;
  if (!session.tenants.includes(tenant) || tenant === session.tenant) {
    return;
  }
  session.tenant = tenant;
  saveSession();
  state.filters.page = 0;
  state.listIds = null;
  navigate({ id: null }, true);
  announce(`Showing the anomalies of ${tenant}.`);
}

// ---------------------------------------------------------------- URL and views

function readUrl() {
  const params = new URLSearchParams(window.location.search);
  const type = (params.get('type') || '').toUpperCase();
  const days = params.get('days');
  const size = params.get('size');
  const page = Number(params.get('page'));
  state.filters = {
    type: config.types.includes(type) ? type : '',
    days: DAYS.includes(days) ? Number(days) : 7,
    size: SIZES.includes(size) ? Number(size) : 20,
    page: Number.isInteger(page) && page >= 0 ? page : 0,
  };
  state.id = params.get('id') || null;
  const tenant = params.get('tenant');
  if (tenant && session.tenants.includes(tenant) && tenant !== session.tenant) {
    session.tenant = tenant;
    saveSession();
    $('tenant-select').value = tenant;
  }
}

function urlFor({ id = state.id, filters = state.filters } = {}) {
  const params = new URLSearchParams();
  if (session.tenant) {
    params.set('tenant', session.tenant);
  }
  if (filters.type) {
    params.set('type', filters.type);
  }
  params.set('days', String(filters.days));
  params.set('page', String(filters.page));
  params.set('size', String(filters.size));
  if (id) {
    params.set('id', id);
  }
  return `${config.page}?${params}`;
}

/** Changes the URL (a new history entry when push is true) and shows what it names. */
function navigate(change, push, options = {}) {
  if ('id' in change) {
    state.id = change.id;
  }
  if (change.filters) {
    state.filters = { ...state.filters, ...change.filters };
  }
  const url = urlFor();
  if (push) {
    window.history.pushState(null, '', url);
  } else {
    window.history.replaceState(null, '', url);
  }
  route(options);
}

function show(view) {
  state.view = view;
  $('sign-in-view').hidden = view !== 'sign-in';
  $('list-view').hidden = view !== 'list';
  $('detail-view').hidden = view !== 'detail';
}

function showSignIn(reason) {
  show('sign-in');
  $('session-bar').hidden = true;
  $('token-field').hidden = !config.bearer;
  const error = $('sign-in-error');
  if (reason) {
    showNotice(error, reason, 'Signed out');
  } else {
    hideNotice(error);
  }
  if (!$('tenants').value && session.tenants.length > 0) {
    $('tenants').value = session.tenants.join(', ');
  }
  document.title = 'Sign in · Anomalies · batanomaly';
  focus(config.bearer ? $('token') : $('tenants'));
}

function route({ focusView = false } = {}) {
  if (!signedIn()) {
    showSignIn(null);
    return;
  }
  readUrl();
  syncFilterControls();
  window.history.replaceState(null, '', urlFor());
  if (state.id) {
    show('detail');
    if (!state.detail || state.detail.id !== state.id) {
      state.detail = null;
      $('detail-body').hidden = true;
      $('note').value = '';
      hideNotice($('action-result'));
      hideNotice($('action-error'));
      hideNotice($('detail-error'));
    }
    loadDetail({ focusTitle: true });
  } else {
    show('list');
    state.listSignature = null;
    document.title = `Anomalies · ${session.tenant} · batanomaly`;
    loadList({ fresh: true }).then(() => {
      if (focusView) {
        focus($('list-title'));
      } else if (state.lastOpenedId) {
        const link = document.querySelector(`a[data-id="${CSS.escape(state.lastOpenedId)}"]`);
        focus(link || $('list-title'));
        state.lastOpenedId = null;
      }
    });
  }
}

// ---------------------------------------------------------------- list

function fillTypeFilter() {
  const select = $('filter-type');
  const groups = [
    ['Policy versions', config.types.filter((t) => POLICY_TYPES.has(t))],
    ['Audit events', config.types.filter((t) => AUDIT_TYPES.has(t))],
    ['Other detectors', config.types.filter((t) => !POLICY_TYPES.has(t) && !AUDIT_TYPES.has(t))],
  ];
  for (const [label, types] of groups) {
    if (types.length > 0) {
      select.append(el('optgroup', { label },
        ...types.map((t) => el('option', { value: t, text: typeLabel(t) }))));
    }
  }
}

function syncFilterControls() {
  $('filter-type').value = state.filters.type;
  $('filter-days').value = String(state.filters.days);
  $('filter-size').value = String(state.filters.size);
}

function onFilterChange() {
  state.listIds = null;
  navigate({
    filters: {
      type: $('filter-type').value,
      days: Number($('filter-days').value),
      size: Number($('filter-size').value),
      page: 0,
    },
  }, false);
}

function listKey() {
  const f = state.filters;
  return JSON.stringify([session.tenant, f.type, f.days, f.page, f.size]);
}

async function loadList({ fresh = false } = {}) {
  const seq = ++state.listSeq;
  const key = listKey();
  if (fresh) {
    $('list-body').setAttribute('aria-busy', 'true');
  }
  try {
    const page = await api.list(session.tenant, state.filters);
    if (seq !== state.listSeq || state.view !== 'list') {
      return;
    }
    hideNotice($('list-error'));
    const previous = state.listKey === key ? state.listIds : null;
    const added = previous
      ? page.content.filter((a) => !previous.has(a.id)).map((a) => a.id)
      : [];
    state.listKey = key;
    state.listIds = new Set(page.content.map((a) => a.id));
    // an unchanged page is not rendered again, so focus, selection and "new" marks stay put
    const signature = JSON.stringify([key, page]);
    if (signature !== state.listSignature) {
      state.listSignature = signature;
      renderList(page, new Set(added));
    }
    if (added.length > 0) {
      announce(added.length === 1 ? '1 new anomaly.' : `${added.length} new anomalies.`);
    }
  } catch (e) {
    if (seq !== state.listSeq) {
      return;
    }
    if (e instanceof ApiError && e.status === 401) {
      signOut(e);
      return;
    }
    state.listKey = null;
    state.listIds = null;
    state.listSignature = null;
    $('anomaly-rows').replaceChildren();
    $('list-body').hidden = true;
    $('list-empty').hidden = true;
    $('page-info').textContent = '';
    $('prev-page').hidden = true;
    $('next-page').hidden = true;
    $('list-meta').textContent = '';
    showNotice($('list-error'), e);
  } finally {
    if (seq === state.listSeq) {
      $('list-body').removeAttribute('aria-busy');
      schedulePoll();
    }
  }
}

function renderList(page, fresh) {
  const rows = page.content.map((a) => {
    const link = el('a', { href: urlFor({ id: a.id }), 'data-id': a.id, className: 'row-link' },
      subjectOf(a));
    const row = el('tr', { 'data-id': a.id, className: fresh.has(a.id) ? 'is-new' : null },
      el('td', {}, badge('severity', a.severity)),
      el('td', {}, badge('status', a.status)),
      el('td', { className: 'cell-type' }, typeLabel(a.type)),
      el('td', { className: 'cell-subject' }, link,
        fresh.has(a.id) ? el('span', { className: 'new-tag', text: 'New' }) : null),
      el('td', { className: 'cell-summary' }, a.summary || ''),
      el('td', { className: 'cell-time' }, timeElement(a.detectedAt)));
    return row;
  });
  const focused = document.activeElement && document.activeElement.closest
    ? document.activeElement.closest('#anomaly-rows a[data-id]') : null;
  $('anomaly-rows').replaceChildren(...rows);
  if (focused) {
    const again = $('anomaly-rows').querySelector(`a[data-id="${CSS.escape(focused.getAttribute('data-id'))}"]`);
    focus(again || $('list-title'));
  }
  $('list-body').hidden = false;
  $('anomaly-table').hidden = rows.length === 0;
  $('list-empty').hidden = rows.length > 0;
  const total = page.totalElements;
  const pages = Math.max(1, page.totalPages);
  const typeText = state.filters.type ? ` of type ${typeLabel(state.filters.type)}` : '';
  $('list-meta').textContent = `${total} ${total === 1 ? 'anomaly' : 'anomalies'}${typeText}`
    + ` detected in the last ${state.filters.days} ${state.filters.days === 1 ? 'day' : 'days'}`
    + ` for ${session.tenant}, newest first. Updated every ${formatSeconds(config.pollMillis)}.`;
  $('list-caption').textContent = `Anomalies of ${session.tenant}, newest first, page ${page.page + 1} of ${pages}`;
  $('page-info').textContent = `Page ${page.page + 1} of ${pages}`;
  $('prev-page').hidden = false;
  $('next-page').hidden = false;
  setEnabled($('prev-page'), page.page > 0);
  setEnabled($('next-page'), page.page + 1 < page.totalPages);
}

function formatSeconds(millis) {
  const s = millis / 1000;
  return s === 1 ? 'second' : `${Number.isInteger(s) ? s : s.toFixed(1)} seconds`;
}

function setEnabled(button, enabled) {
  button.setAttribute('aria-disabled', enabled ? 'false' : 'true');
}

function isEnabled(button) {
  return button.getAttribute('aria-disabled') !== 'true';
}

function onPage(delta) {
  return () => {
    const button = delta < 0 ? $('prev-page') : $('next-page');
    if (!isEnabled(button)) {
      return;
    }
    state.listIds = null;
    navigate({ filters: { page: Math.max(0, state.filters.page + delta) } }, true);
    announce(`Page ${state.filters.page + 1}.`);
  };
}

function onRowClick(event) {
  const link = event.target.closest('a.row-link');
  const row = event.target.closest('tr[data-id]');
  if (!row || (event.target.closest('a') && !link)) {
    return;
  }
  if (link && (event.ctrlKey || event.metaKey || event.shiftKey || event.button === 1)) {
    return;
  }
  event.preventDefault();
  openDetail(row.getAttribute('data-id'));
}

function openDetail(id) {
  state.lastOpenedId = id;
  hideNotice($('action-result'));
  hideNotice($('action-error'));
  state.detail = null;
  $('note').value = '';
  navigate({ id }, true, { focusView: true });
}

// ---------------------------------------------------------------- detail

async function loadDetail({ focusTitle = false, poll = false } = {}) {
  const seq = ++state.detailSeq;
  const id = state.id;
  if (!poll) {
    $('detail-body').setAttribute('aria-busy', 'true');
    $('back-link').setAttribute('href', urlFor({ id: null }));
  }
  try {
    const anomaly = await api.detail(session.tenant, id);
    if (seq !== state.detailSeq || state.view !== 'detail' || state.id !== id) {
      return;
    }
    hideNotice($('detail-error'));
    renderDetail(anomaly);
    if (focusTitle) {
      focus($('detail-title'));
    }
  } catch (e) {
    if (seq !== state.detailSeq) {
      return;
    }
    if (e instanceof ApiError && e.status === 401) {
      signOut(e);
      return;
    }
    if (!poll) {
      state.detail = null;
      $('detail-body').hidden = true;
      document.title = 'Anomaly · batanomaly';
    }
    showNotice($('detail-error'), e);
    if (focusTitle) {
      focus($('back-link'));
    }
  } finally {
    if (seq === state.detailSeq) {
      $('detail-body').removeAttribute('aria-busy');
      schedulePoll();
    }
  }
}

function renderDetail(a) {
  const before = state.detail && state.detail.id === a.id ? state.detail.status : null;
  state.detail = a;
  $('detail-body').hidden = false;
  $('detail-badges').replaceChildren(badge('severity', a.severity), badge('status', a.status),
    el('span', { className: 'badge badge-type', text: a.type }));
  $('detail-title').textContent = `${typeLabel(a.type)}: ${subjectOf(a)}`;
  $('detail-summary').textContent = a.summary || '';
  document.title = `${typeLabel(a.type)} · ${subjectOf(a)} · batanomaly`;

  const facts = [
    ['ID', el('code', { text: a.id })],
    ['Tenant', a.tenant],
    ['Type', a.type],
    ['Policy', a.policyModule || a.policyFunction
      ? [a.policyModule, a.policyFunction].filter(Boolean).join('/') : null],
    ['Version', a.versionId],
    ['Service', a.service],
    ['Identifier', a.identifier],
    ['Subject', a.policyModule || a.service || a.identifier ? null : a.subject],
    ['Detected', timeElement(a.detectedAt)],
    ['Last seen', a.lastSeenAt ? timeElement(a.lastSeenAt) : null],
    ['Findings', a.occurrences ? String(a.occurrences) : null],
  ].filter(([, v]) => v !== null && v !== undefined && v !== '');
  $('detail-facts').replaceChildren(...facts.flatMap(([k, v]) => [
    el('dt', { text: k }), el('dd', {}, v)]));

  const metrics = Object.entries(a.metrics || {});
  $('metrics-rows').replaceChildren(...metrics.map(([k, v]) => el('tr', {},
    el('th', { scope: 'row' }, el('span', { className: 'metric-label', text: metricLabel(k) }),
      el('code', { className: 'metric-key', text: k })),
    el('td', { className: 'metric-value' }, metricValue(k, v)))));
  $('metrics-table').hidden = metrics.length === 0;
  $('metrics-empty').hidden = metrics.length > 0;

  const actions = a.recommendedActions || [];
  $('recommended-list').replaceChildren(...actions.map((t) => el('li', { text: t })));
  $('recommended-list').hidden = actions.length === 0;
  $('recommended-empty').hidden = actions.length > 0;

  const history = a.history || [];
  $('history-list').replaceChildren(...history.map((h) => el('li', { className: 'history-entry' },
    el('div', { className: 'history-line' },
      el('span', { className: 'history-change' },
        h.from ? badge('status', h.from) : el('span', { className: 'muted', text: 'Opened' }),
        el('span', { className: 'arrow', 'aria-label': 'to', text: '→' }),
        badge('status', h.to)),
      el('span', { className: 'history-origin', text: `by ${originLabel(h.origin)}` })),
    timeElement(h.at),
    h.note ? el('p', { className: 'history-note', text: h.note }) : null)));

  renderActions(a);
  if (a.status === 'VERIFYING' && before !== 'VERIFYING') {
    state.verifyWatch = a.id;
    showResult('Verifying: the evidence is being re-evaluated. This page updates when it is done.');
  }
  if (before === 'VERIFYING' && a.status !== 'VERIFYING' && state.verifyWatch === a.id) {
    state.verifyWatch = null;
    const last = history.length > 0 ? history[history.length - 1] : null;
    const outcome = a.status === 'RESOLVED'
      ? 'the condition no longer holds, so the anomaly is RESOLVED.'
      : `the anomaly is ${a.status}${a.status === 'OPEN' ? ': the condition still holds.' : '.'}`;
    const detail = last && last.note ? last.note.replace(/^verification:\s*/i, '') : '';
    const note = detail ? ` ${detail.charAt(0).toUpperCase()}${detail.slice(1)}.` : '';
    showResult(`Verification finished: ${outcome}${note}`);
  }
}

function renderActions(a) {
  const open = a.status === 'OPEN';
  const closed = a.status === 'RESOLVED' || a.status === 'DISMISSED';
  $('action-verify').hidden = !open;
  $('action-resolve').hidden = !open;
  $('action-dismiss').hidden = !open;
  $('action-reopen').hidden = !closed;
  $('verify-hint').hidden = !open;
  $('note').disabled = !(open || closed);
  for (const id of ['action-verify', 'action-resolve', 'action-dismiss', 'action-reopen']) {
    $(id).setAttribute('aria-disabled', state.busy ? 'true' : 'false');
  }
}

function showResult(message) {
  const node = $('action-result');
  node.replaceChildren(el('span', { text: message }));
  node.hidden = false;
  announce(message);
}

function setBusy(busy) {
  state.busy = busy;
  if (state.detail) {
    renderActions(state.detail);
  }
  $('triage-form').setAttribute('aria-busy', busy ? 'true' : 'false');
}

function keepFocusInTriage() {
  const active = document.activeElement;
  if (!active || active === document.body || active.hidden || active.closest('[hidden]')) {
    const visible = ['action-verify', 'action-resolve', 'action-reopen']
      .map((id) => $(id)).find((b) => !b.hidden);
    focus(visible || $('triage-title'));
  }
}

async function onVerify() {
  const a = state.detail;
  if (state.busy || !a) {
    return;
  }
  setBusy(true);
  hideNotice($('action-error'));
  hideNotice($('action-result'));
  try {
    await api.verify(session.tenant, a.id);
    state.verifyWatch = a.id;
    announce('Verification started.');
    await loadDetail({ poll: true });
  } catch (e) {
    handleActionError(e, 'Verify');
  } finally {
    setBusy(false);
    keepFocusInTriage();
  }
}

const VERBS = { RESOLVED: 'Resolve', DISMISSED: 'Dismiss', OPEN: 'Reopen' };
const DONE = { RESOLVED: 'Resolved', DISMISSED: 'Dismissed', OPEN: 'Reopened' };

async function onStatus(target) {
  const a = state.detail;
  if (state.busy || !a) {
    return;
  }
  const note = $('note').value.trim();
  // One key per intended change: a second click while it is in flight is ignored, and a retry
  // after the request got no answer sends the same key, so the change applies at most once.
  const signature = JSON.stringify([session.tenant, a.id, target, note]);
  if (!state.pending || state.pending.signature !== signature) {
    state.pending = { signature, key: newIdempotencyKey() };
  }
  setBusy(true);
  hideNotice($('action-error'));
  hideNotice($('action-result'));
  try {
    const updated = await api.updateStatus(session.tenant, a.id, target, note, state.pending.key);
    state.pending = null;
    $('note').value = '';
    if (state.view === 'detail' && state.id === updated.id) {
      renderDetail(updated);
    }
    showResult(`${DONE[target]}: the anomaly is now ${updated.status}.`);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 0) {
      state.pending = null;
    }
    handleActionError(e, VERBS[target]);
  } finally {
    setBusy(false);
    keepFocusInTriage();
  }
}

function handleActionError(e, verb) {
  if (e instanceof ApiError && e.status === 401) {
    signOut(e);
    return;
  }
  showNotice($('action-error'), e, `${verb} failed`);
  if (e instanceof ApiError && (e.status === 409 || e.status === 404)) {
    // the anomaly changed since it was shown: show it as it is now, keeping the message
    loadDetail({ poll: true });
  }
}

// ---------------------------------------------------------------- polling

function stopPolling() {
  clearTimeout(state.pollTimer);
  state.pollTimer = null;
}

function schedulePoll() {
  stopPolling();
  if (!signedIn()) {
    return;
  }
  if (state.view === 'list' || (state.view === 'detail' && state.detail
      && state.detail.status === 'VERIFYING')) {
    state.pollTimer = setTimeout(pollOnce, config.pollMillis);
  }
}

function pollOnce() {
  state.pollTimer = null;
  if (document.hidden) {
    schedulePoll();
    return;
  }
  if (state.view === 'list') {
    loadList();
  } else if (state.view === 'detail' && state.detail && state.detail.status === 'VERIFYING') {
    loadDetail({ poll: true });
  }
}

// ---------------------------------------------------------------- start

function start() {
  fillTypeFilter();
  $('sign-in-form').addEventListener('submit', onSignIn);
  $('sign-out').addEventListener('click', () => {
    signOut(null);
    announce('Signed out.');
  });
  $('tenant-select').addEventListener('change', onTenantChange);
  $('filters').addEventListener('change', onFilterChange);
  $('filters').addEventListener('submit', (e) => e.preventDefault());
  $('prev-page').addEventListener('click', onPage(-1));
  $('next-page').addEventListener('click', onPage(1));
  $('anomaly-rows').addEventListener('click', onRowClick);
  $('back-link').addEventListener('click', (e) => {
    e.preventDefault();
    navigate({ id: null }, true);
  });
  $('action-verify').addEventListener('click', onVerify);
  $('action-resolve').addEventListener('click', () => onStatus('RESOLVED'));
  $('action-dismiss').addEventListener('click', () => onStatus('DISMISSED'));
  $('action-reopen').addEventListener('click', () => onStatus('OPEN'));
  $('triage-form').addEventListener('submit', (e) => e.preventDefault());
  window.addEventListener('popstate', () => route({ focusView: true }));
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && state.pollTimer === null) {
      schedulePoll();
    }
  });
  loadSession();
  if (signedIn()) {
    renderTenants();
  }
  route({ focusView: false });
  document.documentElement.setAttribute('data-ready', 'true');
}

start();
