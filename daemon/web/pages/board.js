// The hall board. It renders only from data: the snapshot (GET /api/board) and the queue
// events of GET /events, each with id = its journal seq. An event at or below the seq the
// board has seen is ignored, and its data carries absolute values (waiting counts, the
// counter's state now), so a repeated event changes nothing. A lost daemon shows
// "Mất kết nối" within a few seconds; the board reconnects by itself, catching up from
// the seq it has (Last-Event-ID) or reloading the snapshot when the daemon says so.
'use strict';

(function () {
  const LOST_AFTER_MS = 4500; // the server sends something every 2 s
  const RETRY_MS = [1000, 2000, 3000, 5000];
  const DAYS = ['Chủ Nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];
  const COUNTER_STATES = { closed: 'Đóng', idle: 'Sẵn sàng', serving: 'Đang phục vụ', paused: 'Tạm dừng' };

  const body = document.body;
  const screen = body.dataset.screen || '';
  const $ = (role) => document.querySelector('[data-role="' + role + '"]');

  const state = {
    snapshot: null,
    seq: 0,
    instance: '',
    calls: [], // {call, shownAt}, newest first
    services: new Map(), // id -> {id, name, waiting}
    counters: new Map(), // number -> counter json
    clockOffsetMs: 0,
    utcOffsetMin: 420,
    flashSeq: 0,
    flashUntil: 0,
  };
  let source = null;
  let lastMessageAt = 0;
  let retries = 0;
  let retryTimer = 0;
  let loading = false;

  // --- connection ---------------------------------------------------------------------
  function setConnection(ok) {
    const el = $('connection');
    const wanted = ok ? 'ok' : 'lost';
    if (el.dataset.state === wanted) return;
    el.dataset.state = wanted;
    el.textContent = ok ? 'Đã kết nối' : 'Mất kết nối';
    body.classList.toggle('lost', !ok);
  }

  function query(extra) {
    const p = new URLSearchParams();
    if (screen) p.set('screen', screen);
    for (const [k, v] of Object.entries(extra || {})) p.set(k, String(v));
    const s = p.toString();
    return s ? '?' + s : '';
  }

  function scheduleReload() {
    if (retryTimer) return;
    const wait = RETRY_MS[Math.min(retries, RETRY_MS.length - 1)];
    retries += 1;
    retryTimer = setTimeout(() => { retryTimer = 0; load(); }, wait);
  }

  function closeSource() {
    if (source) { source.close(); source = null; }
  }

  async function load() {
    if (loading) return;
    loading = true;
    closeSource();
    try {
      const res = await fetch('/api/board' + query(), { cache: 'no-store' });
      if (!res.ok) throw new Error('HTTP ' + res.status);
      const snap = await res.json();
      if (snap.static && snap.static !== body.dataset.static) {
        // motcuad was upgraded: its page, script and style may have changed.
        location.reload();
        return;
      }
      applySnapshot(snap);
      connect();
    } catch (e) {
      setConnection(false);
      scheduleReload();
    } finally {
      loading = false;
    }
  }

  function connect() {
    closeSource();
    const es = new EventSource('/events' + query({ since: state.seq, instance: state.instance }));
    source = es;
    lastMessageAt = Date.now();
    const alive = () => { lastMessageAt = Date.now(); };
    es.addEventListener('hello', () => { alive(); retries = 0; setConnection(true); });
    es.addEventListener('queue', (e) => {
      alive();
      try { applyEvent(JSON.parse(e.data)); } catch (err) { /* a bad event is skipped */ }
    });
    es.addEventListener('reload', () => { closeSource(); load(); });
    es.addEventListener('ping', alive); // every 2 s when nothing else is sent
    es.onopen = alive;
    es.onerror = () => {
      setConnection(false);
      if (es.readyState === EventSource.CLOSED && source === es) {
        source = null;
        scheduleReload();
      }
    };
  }

  // A link that died without closing (a cable, a Wi-Fi drop) sends nothing: after
  // LOST_AFTER_MS of silence the board says so and starts again.
  function watchdog() {
    if (!source || loading) return;
    if (Date.now() - lastMessageAt < LOST_AFTER_MS) return;
    setConnection(false);
    closeSource();
    scheduleReload();
  }

  // --- data -----------------------------------------------------------------------------
  function applySnapshot(snap) {
    state.snapshot = snap;
    state.seq = snap.seq;
    state.instance = snap.instance;
    state.utcOffsetMin = snap.utc_offset_minutes;
    state.clockOffsetMs = Date.parse(snap.now) - Date.now();
    state.services = new Map(snap.services.map((s) => [s.id, s]));
    state.counters = new Map(snap.counters.map((c) => [c.number, c]));
    const now = Date.now();
    const known = new Map(state.calls.map((c) => [c.call.seq, c.shownAt]));
    state.calls = snap.calls.map((call) => ({ call, shownAt: known.get(call.seq) || now - 24 * 3600e3 }));
    renderStatic();
    render();
  }

  function applyEvent(ev) {
    if (typeof ev.seq !== 'number' || ev.seq <= state.seq) return; // seen already
    state.seq = ev.seq;
    if (ev.kind === 'day_opened') { load(); return; }
    if (ev.waiting) {
      for (const [id, n] of Object.entries(ev.waiting)) {
        const s = state.services.get(id);
        if (s) s.waiting = n;
      }
    }
    if (ev.counter_state && state.counters.has(ev.counter_state.number)) {
      state.counters.set(ev.counter_state.number, ev.counter_state);
    }
    if (ev.kind === 'called' || ev.kind === 'recalled') {
      state.calls = state.calls.filter((c) => c.call.ticket !== ev.ticket);
      state.calls.unshift({ call: ev, shownAt: Date.now() });
      const keep = state.snapshot.settings.recent_calls * 3;
      if (state.calls.length > keep) state.calls.length = keep;
      state.flashSeq = ev.seq;
      state.flashUntil = Date.now() + state.snapshot.settings.flash_seconds * 1000;
    }
    render();
  }

  // The rows shown: the newest recent_calls, and an older row until it has been shown
  // min_row_seconds (a burst does not push calls off before anyone could read them).
  function visibleCalls(now) {
    const settings = state.snapshot.settings;
    const n = settings.recent_calls;
    const minMs = settings.min_row_seconds * 1000;
    const rows = [];
    state.calls.forEach((c, i) => {
      if (i < n || (now - c.shownAt < minMs && rows.length < 2 * n)) rows.push({ ...c, overflow: i >= n });
    });
    return rows;
  }

  // --- rendering (idempotent: the same data gives the same DOM) ---------------------------
  function text(el, value) {
    if (el.textContent !== value) el.textContent = value;
  }

  function setData(el, key, value) {
    const v = value === undefined || value === null ? '' : String(value);
    if (el.dataset[key] !== v) el.dataset[key] = v;
  }

  function priorityText(call) {
    if (!call.priority) return '';
    return 'Ưu tiên' + (call.priority_name ? ' · ' + call.priority_name : '');
  }

  function renderStatic() {
    const snap = state.snapshot;
    text($('office'), snap.office);
    text($('title'), snap.title || '');
    const notice = $('notice');
    text(notice.firstElementChild, snap.notice || '');
    notice.hidden = !snap.notice;
    const screens = $('screens');
    const links = (snap.screens || []).map((s) => {
      const a = document.createElement('a');
      a.href = '/board?screen=' + encodeURIComponent(s.name);
      a.textContent = s.title || s.name;
      return a;
    });
    screens.replaceChildren(...links);
  }

  function render() {
    if (!state.snapshot) return;
    const now = Date.now();
    const calls = visibleCalls(now);
    const current = state.calls.length ? state.calls[0].call : null;

    const cur = $('current-call');
    cur.classList.toggle('empty', !current);
    text(cur.querySelector('[data-part="label"]'), current ? current.label || '' : '—');
    text(cur.querySelector('[data-part="counter"]'), current ? current.counter_name || '' : '');
    text(cur.querySelector('[data-part="priority"]'), current ? priorityText(current) : '');
    setData(cur, 'label', current && current.label);
    setData(cur, 'counter', current && current.counter);
    setData(cur, 'seq', current && current.seq);
    setData(cur, 'priority', current && current.priority);
    setData(cur, 'at', current && current.at); // when it was decided (tests/bench/web measures from it)
    const flashing = current && current.seq === state.flashSeq && now < state.flashUntil;
    cur.classList.toggle('flash', !!flashing);

    const list = $('recent-calls');
    const rows = calls.map((c) => {
      let li = list.querySelector('li[data-seq="' + c.call.seq + '"]');
      if (!li) {
        li = document.createElement('li');
        li.dataset.role = 'recent-call';
        li.dataset.seq = String(c.call.seq);
        li.append(document.createElement('span'), document.createElement('span'));
        li.lastElementChild.className = 'to';
      }
      setData(li, 'label', c.call.label);
      setData(li, 'counter', c.call.counter);
      setData(li, 'priority', c.call.priority);
      li.classList.toggle('overflow', c.overflow);
      const [labelEl, toEl] = li.children;
      text(labelEl, c.call.label || '');
      if (c.call.priority && !labelEl.querySelector('.mark')) {
        const mark = document.createElement('span');
        mark.className = 'mark';
        mark.textContent = 'Ưu tiên';
        labelEl.append(mark);
      }
      text(toEl, '→ ' + (c.call.counter_name || ''));
      return li;
    });
    const same = rows.length === list.children.length && rows.every((li, i) => list.children[i] === li);
    if (!same) list.replaceChildren(...rows);

    const services = $('services');
    const items = [...state.services.values()].map((s) => {
      let li = services.querySelector('li[data-service="' + CSS.escape(s.id) + '"]');
      if (!li) {
        li = document.createElement('li');
        li.dataset.role = 'waiting';
        li.dataset.service = s.id;
        const name = document.createElement('span');
        name.className = 'name';
        const count = document.createElement('span');
        count.className = 'count';
        li.append(name, count);
      }
      text(li.firstElementChild, s.name);
      text(li.lastElementChild, String(s.waiting));
      setData(li, 'count', s.waiting);
      return li;
    });
    if (items.length !== services.children.length || items.some((li, i) => services.children[i] !== li)) {
      services.replaceChildren(...items);
    }

    const counters = $('counters');
    const citems = [...state.counters.values()].map((c) => {
      let li = counters.querySelector('li[data-counter="' + c.number + '"]');
      if (!li) {
        li = document.createElement('li');
        li.dataset.role = 'counter';
        li.dataset.counter = String(c.number);
        const name = document.createElement('span');
        const st = document.createElement('span');
        st.className = 'state';
        li.append(name, st);
      }
      setData(li, 'state', c.state);
      text(li.firstElementChild, c.name);
      const label = c.state === 'serving' && c.ticket_label ? c.ticket_label : COUNTER_STATES[c.state] || c.state;
      text(li.lastElementChild, label);
      return li;
    });
    if (citems.length !== counters.children.length || citems.some((li, i) => counters.children[i] !== li)) {
      counters.replaceChildren(...citems);
    }
  }

  // --- clock ------------------------------------------------------------------------------
  function two(n) { return n < 10 ? '0' + n : String(n); }
  function tick() {
    // The office's clock (the server's time and offset), whatever the TV's own says.
    const local = new Date(Date.now() + state.clockOffsetMs + state.utcOffsetMin * 60000);
    text($('time'), two(local.getUTCHours()) + ':' + two(local.getUTCMinutes()));
    text($('date'), DAYS[local.getUTCDay()] + ', ngày ' + two(local.getUTCDate()) + '/' +
      two(local.getUTCMonth() + 1) + '/' + local.getUTCFullYear());
    render(); // rows past their minimum time leave, a flash ends
    watchdog();
  }

  // --- keyboard ---------------------------------------------------------------------------
  function toggleFullscreen() {
    if (document.fullscreenElement) document.exitFullscreen();
    else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(() => {});
  }
  $('fullscreen').addEventListener('click', toggleFullscreen);
  document.addEventListener('keydown', (e) => {
    if ((e.key === 'f' || e.key === 'F') && !e.ctrlKey && !e.altKey && !e.metaKey) toggleFullscreen();
  });

  setInterval(tick, 1000);
  load().then(tick);
})();
