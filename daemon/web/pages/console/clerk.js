// The clerk's screen: the soft keypad of her counter, the dossier intake and the register.
// Every action is a command of the console API (console.js → POST /api/v1/<command>),
// authorised on the server for her account; the page only shows what the answers and the
// live events (GET /api/v1/events) say. docs/console.md, "The clerk's screen", lists the
// shortcuts and the flows.
//
// clerk.html?form=CODE&kind=KIND is the print view of one form: the daemon renders the
// A4 page (dossier.form → html, escaped by the daemon); this page shows it under the
// console's content policy (its style sheet is adopted, not inlined) and prints it.

import { api, announce, events, me, requireRole, signOut } from './console.js';

const $ = (role) => document.querySelector(`[data-role="${role}"]`);

// A DOM builder with attributes set as attributes and text as textContent (never HTML).
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {}))
    if (v !== false && v !== null && v !== undefined) node.setAttribute(k, v === true ? '' : String(v));
  for (const c of children.flat())
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

// --- shared helpers ----------------------------------------------------------------------

const STATE_NAMES = { closed: 'Đóng', idle: 'Mở, đang chờ gọi', serving: 'Đang phục vụ', paused: 'Tạm dừng' };
const STATUS_NAMES = {
  submitted_online: 'Nộp trực tuyến, chờ tiếp nhận',
  received: 'Đã tiếp nhận',
  refused: 'Từ chối tiếp nhận',
  processing: 'Đang giải quyết',
  supplement_requested: 'Chờ bổ sung',
  financial_obligation: 'Chờ thực hiện nghĩa vụ tài chính',
  withdrawn: 'Công dân rút hồ sơ',
  stopped: 'Dừng giải quyết',
  decided: 'Đã có kết quả',
  returned: 'Đã trả kết quả',
};
const OUTCOME_NAMES = {
  early: 'trước hạn', on_time: 'đúng hạn', late: 'quá hạn',
  open_within_due: 'còn hạn', open_over_due: 'quá hạn', closed: 'đã đóng',
};

// Results and refusals: read out by the console's live region, echoed in the page's line.
function say(text, kind = 'status') {
  announce(text, kind);
  const live = $('live');
  if (live) live.textContent = text;
}

function failed(what, err) {
  const code = err && err.code ? ` (${err.code})` : '';
  say(`${what} không thực hiện được${code}: ${err && err.message ? err.message : err}`, 'error');
}

function pad(n) { return String(n).padStart(2, '0'); }

// "YYYY-MM-DD HH:MM" ↔ a Date whose UTC fields hold the office's local time (no time zone
// arithmetic: the daemon says what time it is at the office).
function parseLocal(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})/.exec(text || '');
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5])) : null;
}
function formatLocal(d) {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}
function formatDay(d) { return formatLocal(d).slice(0, 10); }

// The office's clock: procedure.search answers its local time; between answers it runs on.
const clock = { base: null, at: 0 };
function setOfficeNow(text) {
  const d = parseLocal(text);
  if (d) { clock.base = d; clock.at = performance.now(); }
}
function officeNow() {
  if (!clock.base) return null;
  return new Date(clock.base.getTime() + (performance.now() - clock.at));
}

function isTextEntry(target) {
  if (!target || !target.tagName) return false;
  const tag = target.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select' || target.isContentEditable) return true;
  if (tag !== 'input') return false;
  return !['button', 'submit', 'checkbox', 'radio', 'reset'].includes((target.type || '').toLowerCase());
}

// --- the print view of one form --------------------------------------------------------------

async function showForm(code, kind) {
  $('form-view').hidden = false;
  const status = document.getElementById('form-status');
  status.textContent = 'Đang tải phiếu…';
  try {
    const form = await api('dossier.form', { code, kind });
    // The page's style sheet is taken out before parsing (a <style> element would be
    // refused by the policy) and adopted through the CSSOM, which the policy allows.
    const css = [];
    const html = form.html.replace(/<style[^>]*>([\s\S]*?)<\/style>/gi, (whole, text) => { css.push(text); return ''; });
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const sheets = css.map((text) => { const sheet = new CSSStyleSheet(); sheet.replaceSync(text); return sheet; });
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, ...sheets];
    for (const s of doc.querySelectorAll('script')) s.remove();
    // Style attributes are applied through the CSSOM, which the policy allows, and the
    // nodes are moved (adopted), so each keeps its style.
    const styled = [...doc.querySelectorAll('[style]')].map((node) => [node, node.getAttribute('style')]);
    for (const [node] of styled) node.removeAttribute('style');
    const page = $('form-page');
    page.replaceChildren(...[...doc.body.childNodes].map((n) => document.adoptNode(n)));
    for (const [node, css] of styled) node.style.cssText = css;
    document.title = `${form.title} – ${form.code}`;
    status.textContent = `${form.title}, hồ sơ ${form.code}`;
    $('form-print').focus();
  } catch (err) {
    status.textContent = `Không mở được phiếu: ${err.message}`;
  }
  $('form-print').addEventListener('click', () => window.print());
}

// --- the soft keypad --------------------------------------------------------------------------

const desk = {
  user: null,
  counter: 0,        // the counter the keypad acts on
  status: null,      // the last `status` answer
  answers: 0,        // answers shown so far (data-answers: tests wait on it)
  refreshing: null,
  refreshAgain: false,
};

const KEYS = { KeyN: 'next', KeyR: 'recall', KeyV: 'no-show', KeyD: 'done', KeyT: 'transfer', KeyP: 'pause',
  KeyU: 'resume', KeyO: 'open', KeyC: 'close' };
const COMMAND_NAMES = { next: 'Gọi số tiếp theo', recall: 'Gọi lại', 'no-show': 'Vắng mặt', done: 'Xong',
  transfer: 'Chuyển', pause: 'Tạm dừng', resume: 'Tiếp tục', open: 'Mở quầy', close: 'Đóng quầy' };

function counterStatus() {
  const list = desk.status && Array.isArray(desk.status.counters) ? desk.status.counters : [];
  return list.find((c) => c.number === desk.counter) || null;
}

function showCounter(state, ticket, waiting) {
  $('state').textContent = STATE_NAMES[state] || state || '—';
  $('held').textContent = ticket && ticket.label ? ticket.label : '—';
  $('waiting').textContent = waiting === undefined || waiting === null ? '—' : String(waiting);
  const keypad = $('keypad');
  keypad.dataset.state = state || '';
  keypad.dataset.held = ticket && ticket.label ? ticket.label : '';
  for (const b of document.querySelectorAll('[data-cmd]')) {
    const cmd = b.dataset.cmd;
    const closed = state === 'closed' || !state;
    b.setAttribute('aria-disabled', String(
      (cmd === 'open' && !closed) || (cmd !== 'open' && closed) ||
      (cmd === 'resume' && state !== 'paused')));
  }
}

function renderStatus() {
  const c = counterStatus();
  if (!c) { showCounter('', null, null); return; }
  showCounter(c.state, c.state === 'serving' || c.state === 'paused' ? c.ticket : null, c.waiting);
  const officer = $('officer');
  if (c.officer && !officer.value) officer.value = c.officer;
}

// The status now, at most one request at a time; events arriving meanwhile ask once more.
async function refresh() {
  if (desk.refreshing) { desk.refreshAgain = true; return desk.refreshing; }
  desk.refreshing = (async () => {
    try {
      do {
        desk.refreshAgain = false;
        desk.status = await api('status', {});
        renderStatus();
        fillTransferTargets();
      } while (desk.refreshAgain);
    } catch (err) {
      failed('Đọc trạng thái quầy', err);
    } finally {
      desk.refreshing = null;
    }
  })();
  return desk.refreshing;
}

function answerText(cmd, r) {
  const label = r.ticket && r.ticket.label ? r.ticket.label : '';
  switch (r.event) {
    case 'called': return `Quầy ${r.counter} mời số ${label}.`;
    case 'recalled': return `Gọi lại số ${label}.`;
    case 'no_show': return `Số ${label} vắng mặt.`;
    case 'done': return `Xong số ${label}.`;
    case 'transferred': return `Đã chuyển số ${label}.`;
    case 'paused': return `Quầy ${r.counter} tạm dừng.`;
    case 'resumed': return `Quầy ${r.counter} tiếp tục.`;
    case 'counter_opened': return `Đã mở quầy ${r.counter}.`;
    case 'counter_closed': return `Đã đóng quầy ${r.counter}.`;
    default: return `${COMMAND_NAMES[cmd]}: xong.`;
  }
}

async function run(cmd, extra = {}) {
  if (!desk.counter) { say('Chưa chọn quầy.'); return; }
  const args = { counter: desk.counter, ...extra };
  try {
    const r = await api(cmd, args);
    if (r && r.state) {
      const held = r.state === 'serving' || r.state === 'paused' ? r.ticket : null;
      showCounter(r.state, held, r.waiting);
    }
    desk.answers += 1;
    $('keypad').dataset.answers = String(desk.answers);
    say(answerText(cmd, r || {}));
    refresh();
  } catch (err) {
    desk.answers += 1;
    $('keypad').dataset.answers = String(desk.answers);
    $('keypad').dataset.error = err.code || 'error';
    failed(COMMAND_NAMES[cmd] || cmd, err);
  }
}

function closePanels(focusBack) {
  for (const [panel, cmd] of [['transfer-panel', 'transfer'], ['pause-panel', 'pause']]) {
    if (!$(panel).hidden) {
      $(panel).hidden = true;
      document.querySelector(`[data-cmd="${cmd}"]`).setAttribute('aria-expanded', 'false');
      if (focusBack) document.querySelector(`[data-cmd="${cmd}"]`).focus();
    }
  }
}

function openPanel(panel, cmd, focus) {
  closePanels(false);
  $(panel).hidden = false;
  document.querySelector(`[data-cmd="${cmd}"]`).setAttribute('aria-expanded', 'true');
  $(focus).focus();
}

function fillTransferTargets() {
  const select = $('transfer-to');
  const keep = select.value;
  const options = [];
  for (const s of (desk.status && desk.status.services) || [])
    options.push(el('option', { value: `service:${s.id}` }, `Dịch vụ ${s.name} (${s.id})`));
  for (const c of (desk.status && desk.status.counters) || [])
    if (c.number !== desk.counter)
      options.push(el('option', { value: `counter:${c.number}` }, `Quầy ${c.number}`));
  select.replaceChildren(...options);
  if (keep) select.value = keep;
}

function press(cmd) {
  if (cmd === 'transfer') { openPanel('transfer-panel', 'transfer', 'transfer-to'); return; }
  if (cmd === 'pause') { openPanel('pause-panel', 'pause', 'pause-reason'); return; }
  if (cmd === 'open') {
    const officer = $('officer').value.trim();
    if (!officer) {
      say('Nhập tên cán bộ trước khi mở quầy.');
      $('officer').focus();
      return;
    }
    localStorage.setItem('motcua.officer', officer);
    run('open', { officer });
    return;
  }
  // A key that does not apply now is still sent: the server's refusal says why.
  run(cmd);
}

function setupKeypad() {
  for (const b of document.querySelectorAll('[data-cmd]'))
    b.addEventListener('click', () => press(b.dataset.cmd));
  $('transfer-panel').addEventListener('submit', (e) => {
    e.preventDefault();
    const [kind, value] = $('transfer-to').value.split(':');
    closePanels(true);
    run('transfer', kind === 'service' ? { to_service: value } : { to_counter: Number(value) });
  });
  $('pause-panel').addEventListener('submit', (e) => {
    e.preventDefault();
    closePanels(true);
    run('pause', { reason: Number($('pause-reason').value) });
  });
  for (const cancel of document.querySelectorAll('.panel [data-role="cancel"]'))
    cancel.addEventListener('click', () => closePanels(true));

  const choice = $('counter-choice');
  choice.addEventListener('change', () => {
    desk.counter = Number(choice.value);
    localStorage.setItem('motcua.counter', choice.value);
    renderStatus();
    fillTransferTargets();
    say(`Bàn phím đang điều khiển quầy ${desk.counter}.`);
  });

  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { closePanels(true); return; }
    if (e.ctrlKey || e.metaKey || e.repeat) return;
    if (e.altKey && !e.shiftKey) {
      if (e.code === 'KeyI') { e.preventDefault(); $('procedure-search').focus(); return; }
      if (e.code === 'KeyL') { e.preventDefault(); $('reg-scope').focus(); return; }
      if (e.code === 'KeyK') { e.preventDefault(); document.querySelector('[data-cmd="next"]').focus(); return; }
    }
    const cmd = KEYS[e.code];
    if (!cmd) return;
    if (e.altKey || (!e.shiftKey && !isTextEntry(e.target))) {
      e.preventDefault();
      press(cmd);
    }
  });
}

// --- intake -------------------------------------------------------------------------------------

const intake = { procedure: null, matches: [], active: -1, searchSeq: 0, timer: 0, dueSeq: 0 };

function periodText(p) {
  if (p.same_day) return 'trong ngày';
  if (p.hours) return `${p.hours} giờ làm việc`;
  if (p.calendar_days) return `${p.calendar_days} ngày`;
  if (p.days) return `${p.days} ngày làm việc`;
  return 'chưa quy định thời hạn';
}

function renderMatches() {
  const list = $('procedure-list');
  const input = $('procedure-search');
  list.replaceChildren(...intake.matches.map((p, i) => el('li', {
    id: `procedure-${i}`, role: 'option', 'aria-selected': String(i === intake.active),
    'data-code': p.code, class: i === intake.active ? 'active' : '',
  }, `${p.code} – ${p.name}`)));
  list.hidden = intake.matches.length === 0;
  input.setAttribute('aria-expanded', String(!list.hidden));
  if (intake.active >= 0) input.setAttribute('aria-activedescendant', `procedure-${intake.active}`);
  else input.removeAttribute('aria-activedescendant');
}

async function search(query) {
  const seq = ++intake.searchSeq;
  try {
    const r = await api('procedure.search', { query, limit: 20 });
    if (seq !== intake.searchSeq) return; // a later keystroke's answer wins
    setOfficeNow(r.now);
    intake.matches = r.procedures;
    intake.active = r.procedures.length ? 0 : -1;
    renderMatches();
    say(r.count ? `${r.count} thủ tục phù hợp; mũi tên lên xuống để chọn, Enter để lấy.` : 'Không có thủ tục phù hợp.');
  } catch (err) {
    failed('Tìm thủ tục', err);
  }
}

function choose(p) {
  intake.procedure = p;
  intake.matches = [];
  intake.active = -1;
  renderMatches();
  const input = $('procedure-search');
  input.value = `${p.code} – ${p.name}`;
  input.removeAttribute('aria-invalid');
  $('procedure-chosen').textContent =
    `Đã chọn: ${p.name} (${p.code}), lĩnh vực ${p.field || '—'}, thời hạn ${periodText(p)}` +
    (p.fee ? `, phí: ${p.fee}` : '') + '.';
  $('fee').value = p.fee || '';
  const docs = (p.documents || []).map((d, i) => el('div', { class: 'check' },
    el('input', { type: 'checkbox', id: `doc-${i}`, 'data-document': d, checked: true }),
    el('label', { for: `doc-${i}` }, d)));
  $('document-list').replaceChildren(...(docs.length ? docs
    : [el('p', { class: 'hint' }, 'Thủ tục không có danh mục giấy tờ: ghi vào ô "Giấy tờ khác".')]));
  for (const box of $('document-list').querySelectorAll('input[type="checkbox"]')) box.checked = true;
  say(`Đã chọn thủ tục ${p.name}.`);
  updateDue();
  $('applicant-name').focus();
}

// The due date as the register will compute it, for a receipt now (calendar.due).
async function updateDue() {
  const p = intake.procedure;
  const out = $('due');
  if (!p) { out.textContent = '—'; return; }
  const now = officeNow();
  if (!now) return;
  const args = { received: formatLocal(now) };
  if (p.same_day) args.same_day = true;
  else if (p.hours) args.hours = p.hours;
  else if (p.calendar_days) args.calendar_days = p.calendar_days;
  else if (p.days) args.days = p.days;
  else { out.textContent = 'không hạn'; return; }
  const seq = ++intake.dueSeq;
  try {
    const r = await api('calendar.due', args);
    if (seq === intake.dueSeq) {
      out.textContent = r.due_form;
      out.dataset.due = r.due;
    }
  } catch (err) {
    if (seq === intake.dueSeq) out.textContent = `không tính được (${err.message})`;
  }
}

function receiveArgs() {
  const p = intake.procedure;
  const args = { procedure: p.code, name: $('applicant-name').value.trim() };
  const optional = { id_number: 'applicant-id', phone: 'applicant-phone', email: 'applicant-email',
    address: 'applicant-address', notes: 'notes', fee: 'fee' };
  for (const [key, role] of Object.entries(optional)) {
    const v = $(role).value.trim();
    if (v) args[key] = v;
  }
  args.channel = Number($('channel').value);
  args.delivery = $('delivery').value;
  const sets = Number($('sets').value);
  if (Number.isInteger(sets) && sets >= 1) args.sets = sets;
  const documents = [...$('document-list').querySelectorAll('input[data-document]')]
    .filter((b) => b.checked).map((b) => b.dataset.document);
  for (const line of $('document-other').value.split('\n'))
    if (line.trim()) documents.push(line.trim());
  if (documents.length) args.documents = documents;
  const c = counterStatus();
  if (c && c.state !== 'closed') args.counter = desk.counter; // links the ticket she holds
  return args;
}

function invalid(role, text) {
  const field = $(role);
  field.setAttribute('aria-invalid', 'true');
  field.focus();
  say(text);
}

async function receive(e) {
  e.preventDefault();
  if (!intake.procedure) { invalid('procedure-search', 'Chưa chọn thủ tục: gõ mã hoặc tên rồi chọn trong danh sách.'); return; }
  if (!$('applicant-name').value.trim()) { invalid('applicant-name', 'Chưa nhập họ và tên người nộp.'); return; }
  $('applicant-name').removeAttribute('aria-invalid');
  try {
    const d = await api('dossier.receive', receiveArgs());
    intake.received = d;
    $('received-code').textContent = d.code;
    $('received').dataset.code = d.code;
    document.querySelector('[data-role="received-due"]').textContent = d.due_form || 'không hạn';
    $('received').hidden = false;
    say(`Đã tiếp nhận hồ sơ ${d.code}, hẹn trả ${d.due_form || 'không hạn'}.`);
    $('print-receipt').focus();
    loadRegister();
  } catch (err) {
    failed('Tiếp nhận hồ sơ', err);
  }
}

function resetIntake() {
  $('intake-form').reset();
  intake.procedure = null;
  $('procedure-chosen').textContent = 'Chưa chọn thủ tục.';
  $('document-list').replaceChildren(el('p', { class: 'hint' }, 'Chọn thủ tục để thấy danh mục giấy tờ.'));
  $('due').textContent = '—';
  $('received').hidden = true;
  $('procedure-search').focus();
}

async function printForm(code, kind) {
  try {
    const r = await api('dossier.print_form', { code, kind });
    say(`Đã in ${r.title || 'phiếu'} của hồ sơ ${code} trên máy in ${r.print && r.print.printer ? r.print.printer : ''}.`);
  } catch (err) {
    failed('In phiếu', err);
  }
}

function openForm(code, kind) {
  const url = `clerk.html?form=${encodeURIComponent(code)}&kind=${encodeURIComponent(kind)}`;
  const w = window.open(url, '_blank');
  if (!w) say('Trình duyệt chặn cửa sổ mới: cho phép cửa sổ bật lên cho trang này.');
  else say(`Đã mở trang in của hồ sơ ${code} trong thẻ mới.`);
}

function setupIntake() {
  const input = $('procedure-search');
  input.addEventListener('input', () => {
    intake.procedure = null;
    clearTimeout(intake.timer);
    intake.timer = setTimeout(() => search(input.value), 120);
  });
  input.addEventListener('keydown', (e) => {
    const n = intake.matches.length;
    if (e.key === 'ArrowDown' && n) { e.preventDefault(); intake.active = (intake.active + 1) % n; renderMatches(); }
    else if (e.key === 'ArrowUp' && n) { e.preventDefault(); intake.active = (intake.active - 1 + n) % n; renderMatches(); }
    else if (e.key === 'Enter') {
      e.preventDefault(); // Enter here chooses, it never submits half a form
      if (n && intake.active >= 0) choose(intake.matches[intake.active]);
      else if (!intake.procedure) search(input.value);
    } else if (e.key === 'Escape' && n) { e.stopPropagation(); intake.matches = []; renderMatches(); }
  });
  $('procedure-list').addEventListener('click', (e) => {
    const li = e.target.closest('[data-code]');
    if (li) choose(intake.matches.find((p) => p.code === li.dataset.code));
  });
  // "As she types": the due date follows the time of receipt while the form is filled.
  $('intake-form').addEventListener('input', (e) => {
    if (e.target !== input) updateDue();
  });
  $('intake-form').addEventListener('submit', receive);
  $('print-receipt').addEventListener('click', () => printForm($('received').dataset.code, 'receipt'));
  $('open-receipt').addEventListener('click', () => openForm($('received').dataset.code, 'receipt'));
  $('new-intake').addEventListener('click', resetIntake);
}

// --- the register -------------------------------------------------------------------------------

const register = { dossiers: [], shown: null };

function dueSoon(d, now) {
  if (!d.timing || d.timing.outcome !== 'open_within_due' || !d.due_at || !now) return false;
  const due = parseLocal(d.due_at);
  return due && due.getTime() - now.getTime() <= 2 * 24 * 3600 * 1000;
}

function isMine(d) {
  const mine = new Set((desk.user && desk.user.counters) || []);
  if (desk.counter) mine.add(desk.counter);
  const officer = $('officer').value.trim();
  return mine.has(d.counter) || (officer !== '' && d.officer === officer);
}

function fillChoices(role, values, names) {
  const select = $(role);
  const keep = select.value;
  select.replaceChildren(el('option', { value: '' }, 'Tất cả'),
    ...[...values].sort().map((v) => el('option', { value: v }, names ? names[v] || v : v)));
  select.value = [...values].includes(keep) ? keep : '';
}

function renderRegister() {
  const scope = $('reg-scope').value;
  const status = $('reg-status').value;
  const field = $('reg-field').value;
  const due = $('reg-due').value;
  const text = $('reg-text').value.trim().toLowerCase();
  const now = officeNow();
  const rows = register.dossiers.filter((d) =>
    (scope !== 'mine' || isMine(d)) &&
    (!status || d.status_name === status) &&
    (!field || d.field === field) &&
    (due !== 'soon' || dueSoon(d, now)) &&
    (due !== 'over' || (d.timing && (d.timing.outcome === 'open_over_due' || d.timing.outcome === 'late'))) &&
    (!text || d.code.toLowerCase().includes(text) || (d.applicant.name || '').toLowerCase().includes(text)));
  $('reg-rows').replaceChildren(...rows.map((d) => el('tr', { 'data-code': d.code },
    el('td', {}, el('button', { type: 'button', class: 'link', 'data-open': d.code,
      'aria-label': `Xem hồ sơ ${d.code}` }, d.code)),
    el('td', {}, d.applicant.name),
    el('td', {}, d.procedure_name),
    el('td', {}, d.received_form || d.received_at),
    el('td', {}, d.due_form || '—'),
    el('td', {}, `${STATUS_NAMES[d.status_name] || d.status_name}` +
      (d.timing && OUTCOME_NAMES[d.timing.outcome] ? `, ${OUTCOME_NAMES[d.timing.outcome]}` : '')))));
  $('reg-count').textContent = `${rows.length} hồ sơ (trong ${register.dossiers.length} hồ sơ nhận từ ` +
    `${$('reg-from').value} đến ${$('reg-to').value}).`;
}

async function loadRegister() {
  const from = $('reg-from').value;
  const to = $('reg-to').value;
  if (!from || !to) return;
  try {
    const r = await api('dossier.list', { from, to });
    register.dossiers = r.dossiers;
    fillChoices('reg-status', new Set(r.dossiers.map((d) => d.status_name)), STATUS_NAMES);
    fillChoices('reg-field', new Set(r.dossiers.map((d) => d.field).filter(Boolean)));
    renderRegister();
  } catch (err) {
    failed('Đọc sổ hồ sơ', err);
  }
}

function fact(term, value) {
  return [el('dt', {}, term), el('dd', {}, value === null || value === undefined || value === '' ? '—' : String(value))];
}

// The dossier's timeline: its journal rows (dossier.journal), oldest first, each with who
// wrote it.
const ROW_NAMES = {
  'dossier.received': 'Tiếp nhận',
  'dossier.imported': 'Nhập từ tệp',
  'dossier.supplement_requested': 'Yêu cầu bổ sung',
  'dossier.supplement_completed': 'Đã bổ sung đủ',
  'dossier.transferred': 'Chuyển xử lý',
  'dossier.result_received': 'Có kết quả',
  'dossier.returned': 'Trả kết quả',
  'dossier.apologized': 'Xin lỗi, hẹn lại',
  'dossier.refused': 'Từ chối tiếp nhận',
  'dossier.withdrawn': 'Công dân rút hồ sơ',
  'dossier.stopped': 'Dừng giải quyết',
  'dossier.obligation_started': 'Chờ nghĩa vụ tài chính',
  'dossier.obligation_ended': 'Xong nghĩa vụ tài chính',
  'dossier.corrected': 'Sửa thông tin',
  'dossier.form_printed': 'In phiếu',
};
const FORM_NAMES = { receipt: 'giấy tiếp nhận', control: 'phiếu kiểm soát', supplement: 'phiếu yêu cầu bổ sung',
  refusal: 'phiếu từ chối', apology: 'phiếu xin lỗi', stop: 'phiếu dừng giải quyết' };

function rowText(r) {
  const x = r.details || {};
  const parts = [ROW_NAMES[r.kind] || r.kind];
  if (r.kind === 'dossier.received' && x.due_at) parts.push(`hẹn trả ${x.due_at}`);
  if (x.to) parts.push(`đến ${x.to}`);
  if (x.missing && x.missing.length) parts.push(`thiếu: ${x.missing.join(', ')}`);
  if (x.new_due) parts.push(`hẹn mới ${x.new_due}`);
  if (x.reason) parts.push(x.reason);
  if (x.form) parts.push(`${FORM_NAMES[x.form] || x.form}${x.printer ? ` trên máy in ${x.printer}` : ''}`);
  if (x.waybill) parts.push(`vận đơn ${x.waybill}`);
  const who = [r.officer, r.counter ? `quầy ${r.counter}` : '', r.actor].filter(Boolean).join(', ');
  return `${parts.join(', ')}${who ? ` (${who})` : ''}`;
}

async function showDossier(code) {
  try {
    const d = await api('dossier.show', { code });
    register.shown = d;
    $('detail-title').textContent = `Hồ sơ ${d.code}: ${d.procedure_name}`;
    $('detail-facts').replaceChildren(
      ...fact('Người nộp', d.applicant.name),
      ...fact('Số định danh', d.applicant.id_number),
      ...fact('Điện thoại', d.applicant.phone),
      ...fact('Lĩnh vực', d.field),
      ...fact('Tình trạng', `${STATUS_NAMES[d.status_name] || d.status_name}` +
        (d.timing && OUTCOME_NAMES[d.timing.outcome] ? `, ${OUTCOME_NAMES[d.timing.outcome]}` : '')),
      ...fact('Nhận lúc', d.received_form),
      ...fact('Hẹn trả', d.due_form),
      ...fact('Giấy tờ', (d.documents || []).join('; ')));
    const journal = await api('dossier.journal', { code });
    $('timeline').replaceChildren(...journal.rows.map((r) =>
      el('li', { 'data-kind': r.kind }, el('time', {}, r.at.slice(0, 16)), ' ', rowText(r))));
    $('detail').hidden = false;
    $('detail').dataset.code = d.code;
    $('detail').focus();
    say(`Hồ sơ ${d.code}: ${STATUS_NAMES[d.status_name] || d.status_name}.`);
  } catch (err) {
    failed('Xem hồ sơ', err);
  }
}

const ACTIONS = {
  supplement_request: { cmd: 'dossier.supplement_request', text: 'Giấy tờ cần bổ sung (cách nhau bằng dấu ;)', form: 'supplement' },
  supplement_done: { cmd: 'dossier.supplement_done' },
  refuse: { cmd: 'dossier.refuse', text: 'Lý do từ chối', form: 'refusal' },
  withdraw: { cmd: 'dossier.withdraw', text: 'Lý do rút hồ sơ' },
  stop: { cmd: 'dossier.stop', text: 'Lý do dừng', form: 'stop' },
  apologize: { cmd: 'dossier.apologize', text: 'Lý do xin lỗi', date: true, form: 'apology' },
  transfer: { cmd: 'dossier.transfer', text: 'Chuyển đến (cơ quan, bộ phận)' },
  result: { cmd: 'dossier.result' },
  return: { cmd: 'dossier.return', text: 'Số vận đơn (trả qua bưu chính)' },
};

function actionChanged() {
  const a = ACTIONS[$('act-kind').value];
  const text = $('act-text');
  text.disabled = !a.text;
  $('act-text-label').textContent = a.text || 'Không cần nhập thêm';
  $('act-date').disabled = !a.date;
  if (a.form) $('form-kind').value = a.form;
}

async function runAction() {
  const d = register.shown;
  if (!d) return;
  const kind = $('act-kind').value;
  const a = ACTIONS[kind];
  const args = { code: d.code };
  const officer = $('officer').value.trim();
  if (officer) args.officer = officer;
  const text = $('act-text').value.trim();
  if (kind === 'supplement_request') {
    args.missing = text.split(';').map((s) => s.trim()).filter(Boolean);
  } else if (kind === 'transfer') {
    if (!text) { invalid('act-text', 'Nhập nơi chuyển hồ sơ đến.'); return; }
    args.to = text;
  } else if (kind === 'return') {
    if (text) args.waybill = text;
  } else if (a.text && text) {
    args.reason = text;
  }
  if (a.date) {
    const v = $('act-date').value;
    if (!v) { invalid('act-date', 'Chọn ngày giờ hẹn mới.'); return; }
    args.new_due = v.replace('T', ' ').slice(0, 16);
  }
  try {
    await api(a.cmd, args);
    say(`Hồ sơ ${d.code}: đã ghi "${$('act-kind').selectedOptions[0].textContent}".`);
    $('act-text').value = '';
    await showDossier(d.code);
    loadRegister();
  } catch (err) {
    failed($('act-kind').selectedOptions[0].textContent, err);
  }
}

function setupRegister() {
  const now = officeNow() || new Date(Date.now() - new Date().getTimezoneOffset() * 60000);
  $('reg-to').value = formatDay(now);
  $('reg-from').value = formatDay(new Date(now.getTime() - 30 * 24 * 3600 * 1000));
  $('register-filter').addEventListener('submit', (e) => { e.preventDefault(); loadRegister(); });
  for (const role of ['reg-scope', 'reg-status', 'reg-field', 'reg-due'])
    $(role).addEventListener('change', renderRegister);
  $('reg-text').addEventListener('input', renderRegister);
  for (const role of ['reg-from', 'reg-to']) $(role).addEventListener('change', loadRegister);
  $('reg-rows').addEventListener('click', (e) => {
    const b = e.target.closest('[data-open]');
    if (b) showDossier(b.dataset.open);
  });
  $('act-kind').addEventListener('change', actionChanged);
  actionChanged();
  $('act-run').addEventListener('click', runAction);
  $('form-print-thermal').addEventListener('click', () => printForm($('detail').dataset.code, $('form-kind').value));
  $('form-open').addEventListener('click', () => openForm($('detail').dataset.code, $('form-kind').value));
}

// --- start ---------------------------------------------------------------------------------

async function start() {
  const params = new URLSearchParams(location.search);
  if (params.has('form')) {
    await requireRole('clerk', 'supervisor', 'admin');
    await showForm(params.get('form'), params.get('kind') || 'receipt');
    return;
  }
  const user = (await requireRole('clerk', 'supervisor', 'admin')) || (await me());
  if (!user) return;
  desk.user = user;
  $('screen').hidden = false;
  $('user').textContent = user.user;
  $('officer').value = localStorage.getItem('motcua.officer') || '';
  $('logout').addEventListener('click', signOut);

  try {
    setOfficeNow((await api('procedure.search', { query: '', limit: 1 })).now);
  } catch (err) {
    failed('Đọc giờ của bộ phận', err);
  }
  await refresh();
  // Her counters; a supervisor (or an administrator) may drive any counter.
  let counters = Array.isArray(user.counters) ? user.counters.slice() : [];
  if (!counters.length && desk.status) counters = desk.status.counters.map((c) => c.number);
  const choice = $('counter-choice');
  choice.replaceChildren(...counters.map((n) => el('option', { value: String(n) }, `Quầy ${n}`)));
  const saved = Number(localStorage.getItem('motcua.counter'));
  desk.counter = counters.includes(saved) ? saved : counters[0] || 0;
  choice.value = String(desk.counter);
  if (counters.length < 2) choice.setAttribute('aria-describedby', 'keypad-title');
  renderStatus();
  fillTransferTargets();

  setupKeypad();
  setupIntake();
  setupRegister();
  loadRegister();
  // Live: every queue event may change her counter or the waiting count; a refresh of the
  // status (coalesced) shows the state the daemon holds, whatever the event was.
  events(['queue'], (e) => { if (!e || e.type !== 'devices') refresh(); });
  $('keypad').dataset.ready = 'true';
  document.querySelector('[data-cmd="next"]').focus();
}

start();
