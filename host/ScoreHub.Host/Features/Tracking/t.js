/*! ScoreHub tracking snippet. Embed: <script async src="https://YOUR-SCOREHUB/t.js" data-key="PUBLIC_INGEST_KEY"></script>
    Records page views, form submissions and downloads for the scorehub.web plugin; see its README. */
(function (w, d) {
  'use strict';
  var me = d.currentScript || d.querySelector('script[data-key][src*="/t.js"]');
  var key = me && me.getAttribute('data-key');
  if (!key || w.scorehub) return;

  var ID = 'sh_aid', OPT_OUT = 'sh_optout', TOKEN = 'sh_ct';
  var endpoint = new URL(me.src, location.href).origin + '/api/v1/sources/scorehub.web/collect?key=' + encodeURIComponent(key);
  var cookieDomain = me.getAttribute('data-cookie-domain');
  var downloads = /\.(pdf|docx?|xlsx?|pptx?|od[tsp]|rtf|csv|txt|zip|rar|7z|gz|tgz|epub|mp3|mp4|mov|dmg|exe|msi|apk)$/i;
  // Never sent, whatever the field is called: the plugin also keeps only known lead fields.
  var secretName = /pass|pwd|card|cc-?(num|csc|exp)|cvc|cvv|iban|ssn|secret|token|captcha/i;
  var skippedType = /^(password|hidden|file|submit|button|reset|image|checkbox|radio)$/;

  function get(k) { try { return localStorage.getItem(k); } catch (e) { return null; } }
  function set(k, v) { try { if (v === null) localStorage.removeItem(k); else localStorage.setItem(k, v); } catch (e) { /* storage blocked */ } }
  function cookie(v) {
    d.cookie = ID + '=' + (v || '') + '; path=/; max-age=' + (v ? 34560000 : 0) + '; samesite=lax' +
      (cookieDomain ? '; domain=' + cookieDomain : '') + (location.protocol === 'https:' ? '; secure' : '');
  }
  function fromCookie() { var m = d.cookie.match(/(?:^|;\s*)sh_aid=([\w-]{1,100})/); return m && m[1]; }
  function random() {
    if (w.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Array.prototype.map.call(crypto.getRandomValues(new Uint8Array(16)), function (b) { return (b + 256).toString(16).slice(1); }).join('');
  }
  function optedOut() { return get(OPT_OUT) === '1' || navigator.globalPrivacyControl === true || navigator.doNotTrack === '1'; }
  function anonymousId() {
    var id = get(ID) || fromCookie();
    if (!id || !/^[\w-]{1,100}$/.test(id)) id = random();
    set(ID, id);
    cookie(id);
    return id;
  }

  function send(hit) {
    if (optedOut()) return;
    hit.id = random();
    hit.anonymousId = anonymousId();
    hit.url = location.href;
    hit.title = d.title;
    var body = JSON.stringify(hit);
    // A string body goes as text/plain: a "simple" cross-origin request, no CORS preflight, and it survives unload.
    try { if (navigator.sendBeacon && navigator.sendBeacon(endpoint, body)) return; } catch (e) { /* fall back */ }
    if (w.fetch) fetch(endpoint, { method: 'POST', body: body, mode: 'no-cors', keepalive: true, headers: { 'Content-Type': 'text/plain' } }).catch(function () {});
  }

  // An email link carries the contact token once; take it out of the address bar so it is not shared or bookmarked.
  var token = null;
  try {
    var params = new URLSearchParams(location.search);
    token = params.get(TOKEN);
    if (token) {
      params.delete(TOKEN);
      var query = params.toString();
      history.replaceState(history.state, '', location.pathname + (query ? '?' + query : '') + location.hash);
    }
  } catch (e) { /* old browser: no token */ }

  var lastUrl = location.href;
  function pageView(referrer, contactToken) {
    lastUrl = location.href;
    send({ type: 'pageview', referrer: referrer || null, contactToken: contactToken || null });
  }

  // Single-page apps: a pushState or back/forward to a new URL is a page view too.
  function urlChanged() { if (location.href !== lastUrl) pageView(lastUrl); }
  var push = history.pushState;
  history.pushState = function () { var r = push.apply(this, arguments); urlChanged(); return r; };
  w.addEventListener('popstate', urlChanged);

  d.addEventListener('submit', function (e) {
    var f = e.target;
    if (!f || f.tagName !== 'FORM' || f.hasAttribute('data-scorehub-ignore')) return;
    var fields = {}, email = null;
    for (var i = 0; i < f.elements.length; i++) {
      var el = f.elements[i], name = el.name || el.id, type = (el.type || '').toLowerCase();
      if (!name || !el.value || skippedType.test(type) || secretName.test(name) || /^cc-/.test(el.autocomplete || '') ||
          el.hasAttribute('data-scorehub-ignore')) continue;
      if (!email && (type === 'email' || /e-?mail/i.test(name))) email = el.value;
      fields[name] = String(el.value).slice(0, 200);
    }
    // getAttribute: a field named "id" or "name" would shadow the form's own properties.
    send({ type: 'form', form: { id: f.getAttribute('id'), name: f.getAttribute('name'), email: email, fields: fields } });
  }, true);

  d.addEventListener('click', function (e) {
    var a = e.target && e.target.closest && e.target.closest('a[href]');
    if (!a) return;
    var u;
    try { u = new URL(a.href, location.href); } catch (x) { return; }
    if (!/^https?:$/.test(u.protocol) || (!a.hasAttribute('download') && !downloads.test(u.pathname))) return;
    send({ type: 'download', href: u.href, file: a.getAttribute('download') || null });
  }, true);

  w.scorehub = {
    anonymousId: function () { return optedOut() ? null : anonymousId(); },
    optOut: function () { set(OPT_OUT, '1'); set(ID, null); cookie(null); },
    optIn: function () { set(OPT_OUT, null); }
  };

  if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', function () { pageView(d.referrer, token); });
  else pageView(d.referrer, token);
})(window, document);
