/*
 * Shared by the wish wall (/) and the organiser page (/admin): the two languages, the language
 * switch, calls to the engine's HTTP API, friendly error messages and small DOM helpers.
 * Plain browser JavaScript, no build step, no external resources.
 */
(function () {
  'use strict';

  var LANG_KEY = 'wish.lang';

  var TEXTS = {
    zh: {
      'lang.group': '语言 / Language',
      'app.name': '微心愿',
      'nav.wall': '心愿墙',
      'nav.admin': '组织者入口',
      'nav.skip': '跳到主要内容',
      'common.close': '关闭',
      'common.none': '—',
      'common.loading': '加载中…',
      'status.claimed': '已认领',
      'status.fulfilled': '已送达',
      'status.confirmed': '已确认',
      'status.cancelled': '已放弃',
      'status.expired': '已超时',
      'cat.elderly': '关爱长者',
      'cat.children': '儿童成长',
      'cat.education': '助学',
      'cat.health': '健康',
      'cat.disability': '助残',
      'cat.daily': '生活用品',
      'cat.family': '困难家庭',
      'cat.community': '社区',
      'cat.worker': '新就业群体',
      'cat.other': '其他',
      'err.network': '网络连接失败,请检查网络后重试。',
      'err.sold_out': '手慢了,这个心愿已经被认领完了。',
      'err.limit_reached': '你在本场认领的心愿已达到每人上限,可以先完成或放弃已认领的心愿。',
      'err.not_open': '还没有开抢,开抢时间:{time}。',
      'err.not_open_plain': '还没有开抢。',
      'err.unauthorized': '登录凭证缺失、无效或已过期,请重新登录。',
      'err.forbidden': '当前凭证无权执行这个操作。',
      'err.forbidden_organiser': '组织者令牌不能认领心愿,请使用用户令牌。',
      'err.rate_limited': '操作太频繁,请 {seconds} 秒后再试。',
      'err.overloaded': '系统繁忙,这次请求没有被执行,请稍后重试。',
      'err.not_found': '找不到这个心愿或认领记录。',
      'err.invalid_state': '这条认领当前的状态是“{status}”,不能执行这个操作。',
      'err.invalid_request': '提交的内容不符合要求{field}。',
      'err.already_exists': '编号“{id}”已被使用,请换一个。',
      'err.too_large': '提交的内容太大了。',
      'err.internal': '服务器出错了,请稍后重试。',
      'err.generic': '请求失败(HTTP {status})。',
      'err.forbidden_scope': '超出了你所在组织的管理范围。',
      'err.forbidden_admin': '只有区级管理员可以执行这个操作(例如签发或吊销组织者令牌)。',
      'err.unknown_parent': '所选的上级组织不存在。',
      'err.cycle': '这样会让组织成为自己的上级。',
      'err.retired_parent': '上级组织已撤销,不能在它下面新增。',
      'err.has_open_campaigns': '“{id}”还有进行中的场次或未完成的认领,暂不能撤销。',
      'err.has_children': '“{id}”还有未撤销的下级组织,请先撤销它们。',
      'err.unknown_org': '没有这个组织。',
      'err.org_retired': '这个组织已撤销,不能再发布场次。',
      'err.not_found_org': '找不到这个组织或令牌。'
    },
    en: {
      'lang.group': 'Language / 语言',
      'app.name': 'Micro-wishes',
      'nav.wall': 'Wish wall',
      'nav.admin': 'Organisers',
      'nav.skip': 'Skip to main content',
      'common.close': 'Close',
      'common.none': '—',
      'common.loading': 'Loading…',
      'status.claimed': 'Claimed',
      'status.fulfilled': 'Delivered',
      'status.confirmed': 'Confirmed',
      'status.cancelled': 'Given back',
      'status.expired': 'Expired',
      'cat.elderly': 'Elderly care',
      'cat.children': 'Children',
      'cat.education': 'Education',
      'cat.health': 'Health',
      'cat.disability': 'Disability support',
      'cat.daily': 'Daily necessities',
      'cat.family': 'Families in need',
      'cat.community': 'Community',
      'cat.worker': 'Gig workers',
      'cat.other': 'Other',
      'err.network': 'Could not reach the server. Check your connection and try again.',
      'err.sold_out': 'Too late: every unit of this wish has been claimed.',
      'err.limit_reached': 'You already hold as many wishes as this campaign allows per person. Deliver or give one back first.',
      'err.not_open': 'Not open yet. It opens at {time}.',
      'err.not_open_plain': 'Not open yet.',
      'err.unauthorized': 'Your sign-in token is missing, invalid or expired. Please sign in again.',
      'err.forbidden': 'This token is not allowed to do that.',
      'err.forbidden_organiser': 'An organiser token cannot claim wishes; sign in with a user token.',
      'err.rate_limited': 'Too many attempts. Please try again in {seconds} s.',
      'err.overloaded': 'The system is busy and did not carry out this request. Please try again in a moment.',
      'err.not_found': 'That wish or claim does not exist.',
      'err.invalid_state': 'This claim is now "{status}", so that is not possible.',
      'err.invalid_request': 'Something in the request is not valid{field}.',
      'err.already_exists': 'The id "{id}" is already taken; choose another one.',
      'err.too_large': 'The request is too large.',
      'err.internal': 'The server failed. Please try again later.',
      'err.generic': 'The request failed (HTTP {status}).',
      'err.forbidden_scope': 'That is outside your organisation’s scope.',
      'err.forbidden_admin': 'Only the district administrator may do that (for example issue or revoke organiser tokens).',
      'err.unknown_parent': 'The chosen parent organisation does not exist.',
      'err.cycle': 'That would make an organisation its own ancestor.',
      'err.retired_parent': 'The parent organisation is retired; nothing can be added under it.',
      'err.has_open_campaigns': '"{id}" still has an open campaign or unfinished claims, so it cannot be retired yet.',
      'err.has_children': '"{id}" still has organisations under it that are not retired; retire them first.',
      'err.unknown_org': 'There is no such organisation.',
      'err.org_retired': 'This organisation is retired and cannot publish campaigns.',
      'err.not_found_org': 'No such organisation or token.'
    }
  };

  var listeners = [];

  function initialLang() {
    var stored = null;
    try { stored = localStorage.getItem(LANG_KEY); } catch (e) { /* storage disabled */ }
    if (stored === 'zh' || stored === 'en') { return stored; }
    var nav = (navigator.languages && navigator.languages[0]) || navigator.language || 'zh';
    return /^zh/i.test(nav) ? 'zh' : 'en';
  }

  var lang = initialLang();

  /** Adds page-specific texts: {zh: {...}, en: {...}}. */
  function addTexts(more) {
    Object.keys(more).forEach(function (l) {
      Object.keys(more[l]).forEach(function (k) { TEXTS[l][k] = more[l][k]; });
    });
  }

  /** The text for key in the current language, with {name} placeholders filled from vars. */
  function t(key, vars) {
    var s = TEXTS[lang][key];
    if (s === undefined) { s = TEXTS.en[key]; }
    if (s === undefined) { return key; }
    if (vars) {
      s = s.replace(/\{(\w+)\}/g, function (m, name) {
        return vars[name] === undefined || vars[name] === null ? '' : String(vars[name]);
      });
    }
    return s;
  }

  /** Like t, but uses key + '.one' (when the language has it) for a count of exactly one. */
  function tn(key, n, vars) {
    var v = vars || {};
    v.n = n;
    return n === 1 && TEXTS[lang][key + '.one'] !== undefined ? t(key + '.one', v) : t(key, v);
  }

  function has(key) {
    return TEXTS[lang][key] !== undefined;
  }

  /** Fills every data-i18n* element under root with the current language. */
  function apply(root) {
    root = root || document;
    var each = function (sel, fn) {
      Array.prototype.forEach.call(root.querySelectorAll(sel), fn);
    };
    each('[data-i18n]', function (el) { el.textContent = t(el.getAttribute('data-i18n')); });
    each('[data-i18n-placeholder]', function (el) { el.setAttribute('placeholder', t(el.getAttribute('data-i18n-placeholder'))); });
    each('[data-i18n-aria-label]', function (el) { el.setAttribute('aria-label', t(el.getAttribute('data-i18n-aria-label'))); });
    each('[data-i18n-title]', function (el) { el.setAttribute('title', t(el.getAttribute('data-i18n-title'))); });
    if (root === document) {
      document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
      var titleKey = document.documentElement.getAttribute('data-title-key');
      if (titleKey) { document.title = t(titleKey); }
      each('[data-lang]', function (el) {
        el.setAttribute('aria-pressed', el.getAttribute('data-lang') === lang ? 'true' : 'false');
      });
    }
  }

  function setLang(l) {
    if (l !== 'zh' && l !== 'en') { return; }
    lang = l;
    try { localStorage.setItem(LANG_KEY, l); } catch (e) { /* storage disabled */ }
    apply(document);
    rerenderMessages();
    listeners.forEach(function (fn) { fn(l); });
  }

  /**
   * A message kept as a key and its values rather than as text, so that it can be shown again
   * in the other language: a function that renders it in the current language. Values that are
   * themselves language-dependent (a formatted time, an error message) are passed as functions.
   */
  function msg(key, vars) {
    var render = function () {
      var v = {};
      Object.keys(vars || {}).forEach(function (k) {
        v[k] = typeof vars[k] === 'function' ? vars[k]() : vars[k];
      });
      return t(key, v);
    };
    render.key = key;
    return render;
  }

  /** The text of a message: a plain string as it is, a msg() (or any function) rendered now. */
  function render(message) {
    if (message === undefined || message === null) { return ''; }
    return typeof message === 'function' ? message() : String(message);
  }

  /** Nodes showing a message that must follow the language, each with the message as __wishMsg. */
  var shown = new Set();

  /** Shows a message in node; a msg() is shown again in the new language when it changes. */
  function show(node, message) {
    node.__wishMsg = message;
    node.textContent = render(message);
    if (message && message.key) { node.setAttribute('data-msg-key', message.key); } else { node.removeAttribute('data-msg-key'); }
    if (typeof message === 'function') { shown.add(node); } else { shown.delete(node); }
  }

  function rerenderMessages() {
    shown.forEach(function (node) {
      if (!node.isConnected || typeof node.__wishMsg !== 'function') { shown.delete(node); return; }
      node.textContent = render(node.__wishMsg);
    });
  }

  function onLangChange(fn) { listeners.push(fn); }

  /** Wires the [data-lang] buttons of the page. */
  function initLangSwitch() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-lang]'), function (btn) {
      btn.addEventListener('click', function () { setLang(btn.getAttribute('data-lang')); });
    });
    apply(document);
  }

  /**
   * Calls the API. Resolves (never rejects) with {status, ok, data, text, headers, networkError}.
   * opts: {token, body (object or string), accept}.
   */
  function api(method, path, opts) {
    opts = opts || {};
    var headers = {};
    if (opts.token) { headers.Authorization = 'Bearer ' + opts.token; }
    var body;
    if (opts.body !== undefined && opts.body !== null) {
      headers['Content-Type'] = 'application/json';
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    }
    return fetch(path, { method: method, headers: headers, body: body, cache: 'no-store', credentials: 'omit' })
      .then(function (res) {
        var type = res.headers.get('Content-Type') || '';
        if (opts.blob) {
          return res.blob().then(function (b) {
            return { status: res.status, ok: res.ok, blob: b, headers: res.headers };
          });
        }
        return res.text().then(function (text) {
          var data = null;
          if (type.indexOf('json') >= 0 && text) {
            try { data = JSON.parse(text); } catch (e) { data = null; }
          }
          return { status: res.status, ok: res.ok, data: data, text: text, headers: res.headers };
        });
      }, function () {
        return { status: 0, ok: false, networkError: true, data: null, headers: null };
      });
  }

  /**
   * Like api, but a 503 with Retry-After (the engine changed nothing: overloaded, or a fair-start
   * draw being settled at that instant) is tried once more after the delay it asks for.
   */
  function apiRetry(method, path, opts) {
    return api(method, path, opts).then(function (res) {
      var after = res.status === 503 && res.headers ? parseInt(res.headers.get('Retry-After'), 10) : NaN;
      if (!(after >= 0 && after <= 10)) { return res; }
      return new Promise(function (resolve) { setTimeout(resolve, Math.max(after * 1000, 200)); })
        .then(function () { return api(method, path, opts); });
    });
  }

  /** A friendly message in the current language for a failed API answer. */
  function errorMessage(res, extra) {
    extra = extra || {};
    if (!res || res.networkError || res.status === 0) { return t('err.network'); }
    var code = res.data && res.data.error;
    var d = res.data || {};
    switch (code) {
      case 'sold_out': return t('err.sold_out');
      case 'limit_reached': return t('err.limit_reached');
      case 'not_open': return d.opensAt ? t('err.not_open', { time: formatTime(d.opensAt, true) }) : t('err.not_open_plain');
      case 'unauthorized': return t('err.unauthorized');
      case 'forbidden':
        if (extra.forbidden) { return t(extra.forbidden); }
        // The server's message says which refusal it is (API.md 3.2.1 and 6.17).
        if (/scope/i.test(d.message || '')) { return t('err.forbidden_scope'); }
        if (/district administrator/i.test(d.message || '')) { return t('err.forbidden_admin'); }
        return t('err.forbidden');
      case 'unknown_parent': return t('err.unknown_parent');
      case 'cycle': return t('err.cycle');
      case 'retired_parent': return t('err.retired_parent');
      case 'has_open_campaigns': return t('err.has_open_campaigns', { id: d.id || '' });
      case 'has_children': return t('err.has_children', { id: d.id || '' });
      case 'unknown_org': return t('err.unknown_org');
      case 'org_retired': return t('err.org_retired');
      case 'rate_limited': {
        var after = res.headers && parseInt(res.headers.get('Retry-After'), 10);
        return t('err.rate_limited', { seconds: after > 0 ? after : 1 });
      }
      case 'overloaded': return t('err.overloaded');
      case 'not_found': return t('err.not_found');
      case 'invalid_state': return t('err.invalid_state', { status: statusLabel(d.status) });
      case 'invalid_request': return t('err.invalid_request', { field: d.field ? ' (' + d.field + ')' : '' });
      case 'already_exists': return t('err.already_exists', { id: d.id || '' });
      case 'too_large': return t('err.too_large');
      case 'internal': return t('err.internal');
      default: break;
    }
    if (res.status === 401) { return t('err.unauthorized'); }
    if (res.status === 429) { return t('err.rate_limited', { seconds: 1 }); }
    if (res.status === 503) { return t('err.overloaded'); }
    return t('err.generic', { status: res.status });
  }

  function statusLabel(status) {
    return status && has('status.' + status) ? t('status.' + status) : (status || '');
  }

  /** A known category in the current language; any other as the organiser published it, capitalised. */
  function categoryLabel(cat) {
    if (!cat) { return ''; }
    var key = 'cat.' + String(cat).toLowerCase();
    if (has(key)) { return t(key); }
    var s = String(cat);
    return s.charAt(0).toUpperCase() + s.slice(1);
  }

  /** A date and time in the reader's time zone and language. */
  function formatTime(iso, withSeconds) {
    if (!iso) { return ''; }
    var d = typeof iso === 'number' ? new Date(iso) : new Date(iso);
    if (isNaN(d.getTime())) { return String(iso); }
    var opts = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false };
    if (withSeconds) { opts.second = '2-digit'; }
    try {
      return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', opts).format(d);
    } catch (e) {
      return d.toLocaleString();
    }
  }

  /** A time of day (HH:MM:SS, 24 h) in the reader's time zone: for instants a few seconds or minutes away. */
  function formatClock(iso) {
    if (!iso) { return ''; }
    var d = new Date(iso);
    if (isNaN(d.getTime())) { return String(iso); }
    try {
      return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB',
        { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(d);
    } catch (e) {
      return d.toLocaleTimeString();
    }
  }

  /** createElement with attributes ({class, text, dataset..., on...}) and children. */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === undefined || v === null || v === false) { return; }
        if (k === 'text') { node.textContent = v; }
        else if (k === 'class') { node.className = v; }
        else if (k.slice(0, 2) === 'on' && typeof v === 'function') { node.addEventListener(k.slice(2), v); }
        else if (v === true) { node.setAttribute(k, ''); }
        else { node.setAttribute(k, String(v)); }
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined || c === false) { continue; }
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return node;
  }

  /** A session-scoped token store (sessionStorage: gone when the tab closes). */
  function tokenStore(key) {
    return {
      get: function () { try { return sessionStorage.getItem(key) || ''; } catch (e) { return ''; } },
      set: function (v) { try { sessionStorage.setItem(key, v); } catch (e) { /* storage disabled */ } },
      clear: function () { try { sessionStorage.removeItem(key); } catch (e) { /* storage disabled */ } }
    };
  }

  /** The payload of a JWT, decoded without checking it (only the engine can check it). */
  function jwtPayload(token) {
    var parts = String(token || '').split('.');
    if (parts.length !== 3) { return null; }
    try {
      var b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
      while (b64.length % 4) { b64 += '='; }
      var bin = atob(b64);
      var bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
      var json = window.TextDecoder ? new TextDecoder('utf-8').decode(bytes) : bin;
      var p = JSON.parse(json);
      return p && typeof p === 'object' ? p : null;
    } catch (e) {
      return null;
    }
  }

  /** Calls fn at most once per wait ms, at the end of a burst. */
  function debounce(fn, wait) {
    var timer = null;
    return function () {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(function () { timer = null; fn(); }, wait);
    };
  }

  /**
   * A message area with role=status (polite) that keeps one message at a time.
   * message: text or a msg(); kind: 'ok' | 'error' | 'info'.
   */
  function notifier(node) {
    var timer = null;
    return function (message, kind, keepMs) {
      if (timer) { clearTimeout(timer); timer = null; }
      node.className = 'notice' + (kind ? ' notice-' + kind : '');
      if (!message) { show(node, ''); node.hidden = true; return; }
      node.hidden = false;
      // Emptied first so that screen readers announce a repeated message too.
      node.textContent = '';
      show(node, message);
      node.setAttribute('data-kind', kind || 'info');
      if (keepMs !== 0) {
        timer = setTimeout(function () { node.hidden = true; show(node, ''); }, keepMs || 9000);
      }
    };
  }

  window.Wish = {
    t: t, tn: tn, has: has, addTexts: addTexts, apply: apply, setLang: setLang, lang: function () { return lang; },
    onLangChange: onLangChange, initLangSwitch: initLangSwitch, api: api, apiRetry: apiRetry, errorMessage: errorMessage,
    statusLabel: statusLabel, categoryLabel: categoryLabel, formatTime: formatTime, formatClock: formatClock, el: el,
    tokenStore: tokenStore, jwtPayload: jwtPayload, debounce: debounce, notifier: notifier,
    msg: msg, render: render, show: show
  };
})();
