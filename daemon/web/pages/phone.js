// The citizen's phone page: one ticket, live. It renders the data of /api/t/<token>; the
// stream /api/t/<token>/events sends the same data whenever it changes, and once more on
// every reconnection, so a repeated message changes nothing. Everything comes from the box.
(function () {
  'use strict';

  var token = (location.pathname.split('/')[2] || '');
  var api = '/api/t/' + encodeURIComponent(token);
  var root = document.querySelector('[data-role="ticket"]');
  var shown = null;     // the last data rendered
  var stream = null;
  var retry = null;

  function part(name) { return document.querySelector('[data-role="' + name + '"]'); }
  function show(name, visible) { part(name).hidden = !visible; }
  function text(name, value) { part(name).textContent = value; }

  function setConnection(state, message) {
    var c = part('connection');
    c.setAttribute('data-state', state);
    c.textContent = message || '';
    c.hidden = state === 'ok';
  }

  function vibrate() {
    // Only where the phone allows it (Android browsers; iOS ignores it).
    if (navigator.vibrate) {
      try { navigator.vibrate([400, 150, 400, 150, 400]); } catch (e) { /* not allowed */ }
    }
  }

  function render(v) {
    if (v.state === 'expired') { expired(); return; }
    var was = shown;
    shown = v;
    root.setAttribute('data-state', v.state);
    text('office', v.office || '');
    text('label', v.label);
    text('service', v.service);
    var state = part('state');
    state.setAttribute('data-state', v.state);

    show('waiting', v.state === 'waiting');
    show('called', v.state === 'called');
    show('absent', v.state === 'absent');
    show('done', v.state === 'done');

    if (v.state === 'waiting') {
      text('headline', 'Đang chờ đến lượt');
      part('ahead').setAttribute('data-ahead', String(v.ahead));
      text('ahead', String(v.ahead));
      text('ahead-note', v.ahead === 0 ? 'Bạn là người tiếp theo.' : '');
      part('estimate').setAttribute('data-kind', v.estimate.kind);
      text('estimate', v.estimate.text);
      document.title = v.label + ' – đang chờ';
    } else if (v.state === 'called') {
      var name = v.counter ? v.counter.name : '';
      text('headline', 'Đến lượt bạn!');
      text('counter', name);
      part('counter').setAttribute('data-counter', v.counter ? String(v.counter.number) : '');
      document.title = 'Mời bạn đến ' + name;
      // A new call, or a recall of the same one: the phone buzzes each time.
      if (!was || was.state !== 'called' || was.recalls !== v.recalls ||
          (was.counter && v.counter && was.counter.number !== v.counter.number)) {
        vibrate();
      }
    } else if (v.state === 'absent') {
      text('headline', 'Bạn đã không có mặt khi được gọi');
      var r = v.readmit || {};
      text('readmit', r.open
        ? 'Hãy đến gặp cán bộ tại quầy trước ' + r.until + ' (trong vòng ' + r.minutes +
          ' phút kể từ khi bị bỏ qua) để được xếp lại vào hàng chờ với số này.'
        : 'Đã quá ' + r.minutes + ' phút kể từ khi bị bỏ qua: vui lòng lấy số mới tại máy lấy số.');
      part('readmit').setAttribute('data-open', r.open ? 'true' : 'false');
      document.title = v.label + ' – vắng mặt';
    } else {
      text('headline', 'Đã hoàn thành');
      document.title = v.label + ' – đã hoàn thành';
    }
    renderRating(v.rating);
  }

  function renderRating(state) {
    var rating = part('rating');
    rating.hidden = state === 'not_yet';
    rating.setAttribute('data-state', state);
    var buttons = rating.querySelectorAll('button[data-score]');
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = state !== 'open';
      buttons[i].disabled = state !== 'open';
    }
    show('rating-question', state === 'open');
    if (state === 'given' && !part('rating-message').textContent) {
      text('rating-message', 'Cảm ơn bạn đã đánh giá.');
    }
  }

  function rate(score) {
    var rating = part('rating');
    var buttons = rating.querySelectorAll('button[data-score]');
    for (var i = 0; i < buttons.length; i++) { buttons[i].disabled = true; }
    fetch(api + '/rating', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ score: score }),
      cache: 'no-store'
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (body) {
        if (res.ok) {
          text('rating-message', 'Cảm ơn bạn đã đánh giá.');
          renderRating('given');
        } else if (res.status === 409 && body.error && body.error.code === 'already_rated') {
          text('rating-message', 'Số này đã được đánh giá rồi; mỗi số chỉ đánh giá một lần.');
          renderRating('given');
        } else {
          text('rating-message', (body.error && body.error.message) || 'Chưa gửi được đánh giá, vui lòng thử lại.');
          renderRating(shown ? shown.rating : 'open');
        }
      });
    }).catch(function () {
      text('rating-message', 'Chưa gửi được đánh giá: mất kết nối. Vui lòng thử lại.');
      renderRating('open');
    });
  }

  function expired() {
    if (stream) { stream.close(); stream = null; }
    root.setAttribute('data-state', 'expired');
    part('state').setAttribute('data-state', 'expired');
    text('headline', 'Liên kết này đã hết hạn');
    show('waiting', false); show('called', false); show('absent', false); show('done', false);
    part('rating').hidden = true;
    setConnection('ok');
  }

  function load() {
    return fetch(api, { cache: 'no-store' }).then(function (res) {
      if (res.status === 404) { expired(); return false; }
      if (!res.ok) { throw new Error('HTTP ' + res.status); }
      return res.json().then(function (v) { render(v); setConnection('ok'); return true; });
    });
  }

  function connect() {
    retry = null;
    if (!window.EventSource) { poll(); return; }
    stream = new EventSource(api + '/events');
    stream.addEventListener('ticket', function (e) {
      try { render(JSON.parse(e.data)); setConnection('ok'); } catch (err) { /* a broken message: wait for the next */ }
    });
    // The server lost track of this stream's position (a restored database): start afresh.
    stream.addEventListener('reload', function () {
      if (stream) { stream.close(); stream = null; }
      scheduleReconnect();
    });
    stream.onopen = function () { setConnection('ok'); };
    stream.onerror = function () {
      setConnection('lost', 'Đang kết nối lại…');
      // The browser retries by itself unless the answer was not a stream (404, 429):
      // then ask once for the data and open a new stream a little later.
      if (stream && stream.readyState === EventSource.CLOSED) {
        stream = null;
        scheduleReconnect();
      }
    };
  }

  function scheduleReconnect() {
    if (retry) { return; }
    retry = setTimeout(function () {
      load().then(function (ok) { if (ok) { connect(); } else { retry = null; } },
                  function () { retry = null; scheduleReconnect(); });
    }, 3000);
  }

  // Without EventSource (very old browsers): ask every 10 s.
  function poll() {
    load().then(function (ok) { if (ok) { setTimeout(poll, 10000); } },
                function () { setConnection('lost', 'Đang kết nối lại…'); setTimeout(poll, 10000); });
  }

  var buttons = document.querySelectorAll('[data-role="rating"] button[data-score]');
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener('click', function (e) {
      rate(Number(e.currentTarget.getAttribute('data-score')));
    });
  }

  load().then(function (ok) { if (ok) { connect(); } },
              function () { setConnection('lost', 'Đang kết nối lại…'); scheduleReconnect(); });
})();
