/*
 * The organiser page's part of the organiser tree (issue 18): who the token is (the district
 * administrator or the organiser of one org), the statistics of its subtree as totals, a table and
 * an SVG bar chart per child org with drill-down (never above its own org), the tree's management
 * (add, rename, retire) and, for the administrator, issuing and revoking organiser tokens.
 * admin.js asks it which campaigns are in scope and which orgs a campaign may be published under.
 */
(function () {
  'use strict';

  var W = window.Wish;
  var O = window.WishOrgs;
  var t = W.t;
  var el = W.el;

  W.addTexts({
    zh: {
      'admin.whoAdmin': '区级管理员',
      'admin.whoOrganiser': '{org} 的组织者',
      'admin.crumbsLabel': '组织层级',
      'admin.crumbAll': '全部组织',
      'admin.orgTableCaption': '下级组织统计',
      'admin.colOrg': '组织',
      'admin.colPublished': '发布份数',
      'admin.noChildren': '没有下级组织。',
      'admin.drill': '查看 {org} 的下级',
      'admin.chartTitle': '{org} 下级组织:认领、送达、确认份数',
      'admin.barTip': '{org}:发布 {units} 份,已认领 {claimed},已送达 {fulfilled},已确认 {confirmed}',
      'admin.retiredTag': '已撤销',
      'admin.orgsTitle': '组织架构',
      'admin.orgAdd': '新增组织',
      'admin.orgParent': '上级',
      'admin.orgNoParent': '(无上级:新的根组织)',
      'admin.orgId': '编号',
      'admin.orgName': '名称',
      'admin.orgAddSubmit': '新增',
      'admin.orgAdded': '已新增 {org}。',
      'admin.orgEdit': '改名或撤销',
      'admin.orgWhich': '组织',
      'admin.orgNewName': '新名称',
      'admin.orgRename': '改名',
      'admin.orgRetire': '撤销',
      'admin.orgRenamed': '已改名为 {org}。',
      'admin.orgRetired': '已撤销 {org}。',
      'admin.orgRetireConfirm': '确定撤销 {org} 吗?撤销后不能再在它下面发布场次或新增组织。',
      'admin.orgNeedId': '请填写编号(字母、数字、_ 和 -)。',
      'admin.orgNeedName': '请填写名称。',
      'admin.orgNeedChoice': '请选择组织。',
      'admin.issue': '签发组织者令牌',
      'admin.issueFor': '为 {org} 签发组织者令牌',
      'admin.issued': '{org} 的组织者令牌(只显示这一次,请复制后交给对方;{expires} 到期):',
      'admin.issuedJti': '令牌编号(jti,用于吊销):{jti}',
      'admin.copy': '复制',
      'admin.copied': '已复制到剪贴板。',
      'admin.revokeTitle': '吊销组织者令牌',
      'admin.revokeJti': '令牌编号(jti)',
      'admin.revoke': '吊销',
      'admin.revoked': '令牌 {jti} 已吊销,约一秒内各处生效。',
      'admin.revokeNeed': '请填写令牌编号。',
      'admin.cOrg': '所属组织',
      'admin.cOrgNone': '(全区,不属于任何组织)',
      'admin.outOfScope': '这个场次不在你的组织范围内。'
    },
    en: {
      'admin.whoAdmin': 'District administrator',
      'admin.whoOrganiser': 'Organiser of {org}',
      'admin.crumbsLabel': 'Organisation levels',
      'admin.crumbAll': 'All organisations',
      'admin.orgTableCaption': 'Statistics per sub-organisation',
      'admin.colOrg': 'Organisation',
      'admin.colPublished': 'Published units',
      'admin.noChildren': 'No sub-organisations.',
      'admin.drill': 'Show the organisations under {org}',
      'admin.chartTitle': 'Under {org}: units claimed, delivered and confirmed',
      'admin.barTip': '{org}: {units} units published, {claimed} claimed, {fulfilled} delivered, {confirmed} confirmed',
      'admin.retiredTag': 'retired',
      'admin.orgsTitle': 'Organisation tree',
      'admin.orgAdd': 'Add an organisation',
      'admin.orgParent': 'Parent',
      'admin.orgNoParent': '(none: a new root)',
      'admin.orgId': 'Id',
      'admin.orgName': 'Name',
      'admin.orgAddSubmit': 'Add',
      'admin.orgAdded': 'Added {org}.',
      'admin.orgEdit': 'Rename or retire',
      'admin.orgWhich': 'Organisation',
      'admin.orgNewName': 'New name',
      'admin.orgRename': 'Rename',
      'admin.orgRetire': 'Retire',
      'admin.orgRenamed': 'Renamed to {org}.',
      'admin.orgRetired': 'Retired {org}.',
      'admin.orgRetireConfirm': 'Retire {org}? No campaign or organisation can be added under it afterwards.',
      'admin.orgNeedId': 'Enter an id (letters, digits, _ and -).',
      'admin.orgNeedName': 'Enter a name.',
      'admin.orgNeedChoice': 'Choose an organisation.',
      'admin.issue': 'Issue organiser token',
      'admin.issueFor': 'Issue an organiser token for {org}',
      'admin.issued': 'Organiser token for {org} (shown only this once: copy it and hand it over; expires {expires}):',
      'admin.issuedJti': 'Token id (jti, to revoke it): {jti}',
      'admin.copy': 'Copy',
      'admin.copied': 'Copied to the clipboard.',
      'admin.revokeTitle': 'Revoke an organiser token',
      'admin.revokeJti': 'Token id (jti)',
      'admin.revoke': 'Revoke',
      'admin.revoked': 'Token {jti} is revoked; every engine refuses it within about a second.',
      'admin.revokeNeed': 'Enter the token id.',
      'admin.cOrg': 'Organisation',
      'admin.cOrgNone': '(the whole district, no organisation)',
      'admin.outOfScope': 'This campaign is outside your organisation’s scope.'
    }
  });

  var $ = function (id) { return document.getElementById(id); };

  var S = {
    token: function () { return ''; },
    notify: function () {},
    listeners: [],
    me: null,                // null: not signed in; {org: null} the administrator; {org: id} a scoped organiser
    tree: new O.Tree([]),
    view: null,              // the org whose children the statistics show; null: the administrator's roots
    stats: null,             // the last statistics shown: {view, totals, rows}
    seq: 0                   // the statistics request whose answer may still be shown
  };

  function admin() { return !!S.me && !S.me.org; }

  /** The orgs this token stands at the top of: its own, or every root for the administrator. */
  function tops() {
    if (!S.me) { return []; }
    if (S.me.org) { return [S.me.org]; }
    return S.tree.roots.map(function (o) { return o.id; });
  }

  /** The view the statistics start at: the token's org, or the single root, or every root. */
  function topView() {
    var top = tops();
    return top.length === 1 ? top[0] : null;
  }

  function setMsg(id, text, kind) {
    var n = $(id);
    W.show(n, text || '');
    n.className = 'field-msg' + (kind ? ' field-msg-' + kind : '');
  }

  function orgLabel(id) {
    var o = S.tree.get(id);
    return o ? O.label(o) : id;
  }

  // ------------------------------------------------------------------ identity and scope

  /** Called by admin.js with GET /api/admin/whoami's body (or null when there is no valid token). */
  function identify(who) {
    S.me = who ? { org: who.org || null } : null;
    S.view = null;
    document.body.setAttribute('data-org-role', !S.me ? 'none' : (S.me.org ? 'organiser' : 'administrator'));
    if (S.me && S.me.org) { document.body.setAttribute('data-org', S.me.org); } else { document.body.removeAttribute('data-org'); }
    // A scoped organiser's page shows its subtree, not the district's totals.
    $('stats-all').hidden = scoped();
    return refreshTree().then(function () {
      S.view = topView();
      loadStats();
    });
  }

  /** Whether a campaign (its "org", absent for the whole district) is this token's to see and manage. */
  function inScope(campaignOrg) {
    if (!S.me || !S.me.org) { return true; }
    return !!campaignOrg && S.tree.subtree(S.me.org).has(campaignOrg);
  }

  function scoped() { return !!S.me && !!S.me.org; }

  function onChange(fn) { S.listeners.push(fn); }

  function renderWho() {
    var p = $('whoami');
    if (!S.me) { p.hidden = true; W.show(p, ''); return; }
    p.hidden = false;
    var org = S.me.org;
    W.show(p, org ? W.msg('admin.whoOrganiser', { org: function () { return orgLabel(org); } }) : W.msg('admin.whoAdmin'));
  }

  /** The publishing form's org select: the token's subtree (live orgs); the administrator may choose none. */
  function fillPublishSelect() {
    var sel = $('c-org');
    var field = $('c-org-field');
    if (!S.me || !S.tree.list.length) { field.hidden = true; sel.textContent = ''; return; }
    field.hidden = false;
    O.fillSelect(sel, S.tree, tops(), admin() ? { value: '', text: t('admin.cOrgNone') } : null, true);
    if (scoped() && !sel.value) { sel.value = S.me.org; }
  }

  /** Reads the tree again and redraws what depends on it. */
  function refreshTree() {
    return O.load().then(function (r) {
      S.tree = r.tree;
      renderWho();
      fillPublishSelect();
      renderTreePanel();
      S.listeners.forEach(function (fn) { fn(); });
    });
  }

  // ------------------------------------------------------------------ statistics per subtree

  var FMT = function (v) { return new Intl.NumberFormat(W.lang() === 'zh' ? 'zh-CN' : 'en-GB').format(v || 0); };

  function pct(s) {
    return typeof s === 'number' ? (Math.round(s * 1000) / 10).toFixed(1) + '%' : t('common.none');
  }

  /** GET /api/stats?org= for the view (or each root for the administrator's top); then draws. */
  function loadStats() {
    if (!S.me) { $('org-stats').hidden = true; return Promise.resolve(); }
    var view = S.view;
    var seq = ++S.seq;
    var done = function (totals, rows, failed) {
      if (seq !== S.seq) { return; }
      if (failed) { S.notify(function () { return W.errorMessage(failed); }, 'error'); return; }
      S.stats = { view: view, totals: totals, rows: rows };
      renderStats();
    };
    if (view) {
      return W.api('GET', '/api/stats?org=' + encodeURIComponent(view)).then(function (res) {
        if (!res.ok || !res.data) { done(null, null, res); return; }
        done(res.data, res.data.children || [], null);
      });
    }
    var roots = tops();
    return Promise.all([W.api('GET', '/api/stats')].concat(roots.map(function (id) {
      return W.api('GET', '/api/stats?org=' + encodeURIComponent(id));
    }))).then(function (all) {
      var bad = all.filter(function (r) { return !r.ok || !r.data; })[0];
      if (bad) { done(null, null, bad); return; }
      done(all[0].data, all.slice(1).map(function (r) {
        var d = r.data;
        var o = S.tree.get(d.org);
        d.retired = !!(o && o.retired);
        return d;
      }), null);
    });
  }

  var loadStatsSoon = W.debounce(loadStats, 1000);

  /** Moves the statistics to an org at or below the token's own (never above it) and reads them. */
  function drill(id) {
    if (id !== null && !tops().some(function (top) { return S.tree.subtree(top).has(id); })) { return; }
    if (id === null && scoped()) { return; }
    S.view = id;
    loadStats().then(function () { $('org-stats-title').focus(); });
  }

  function crumbs() {
    var out = [];
    if (!scoped() && tops().length !== 1) { out.push(null); }
    if (S.view) {
      var path = S.tree.path(S.view);
      var from = 0;
      if (scoped()) { from = Math.max(0, path.indexOf(S.me.org)); }
      out = out.concat(path.slice(from));
    }
    return out;
  }

  function renderStats() {
    var box = $('org-stats');
    var st = S.stats;
    if (!S.me || !st) { box.hidden = true; return; }
    box.hidden = false;
    box.setAttribute('data-view', st.view || '');
    var nav = $('org-crumbs');
    nav.textContent = '';
    var trail = crumbs();
    trail.forEach(function (id, i) {
      var text = id === null ? t('admin.crumbAll') : orgLabel(id);
      if (i > 0) { nav.appendChild(el('span', { class: 'crumb-sep', 'aria-hidden': 'true', text: ' › ' })); }
      if (i === trail.length - 1) {
        nav.appendChild(el('span', { class: 'crumb crumb-here', 'aria-current': 'page', 'data-org': id || '', text: text }));
      } else {
        nav.appendChild(el('button', { type: 'button', class: 'crumb btn-link', 'data-action': 'crumb', 'data-org': id || '',
          text: text, onclick: function () { drill(id); } }));
      }
    });
    var here = st.view ? orgLabel(st.view) : t('admin.crumbAll');
    $('org-stats-title').textContent = here;
    nav.hidden = trail.length < 2;
    var totals = $('org-totals');
    // The administrator's top level repeats the overview above it; below it the subtree's totals matter.
    totals.hidden = admin() && st.view === topView();
    totals.textContent = '';
    ['campaigns', 'units', 'remaining', 'claimed', 'fulfilled', 'confirmed', 'cancelled', 'expired', 'satisfaction'].forEach(function (k) {
      if (st.totals[k] === undefined) { return; }
      totals.appendChild(el('div', { 'data-stat': k }, el('dt', { text: t('admin.st.' + k) }),
        el('dd', { text: k === 'satisfaction' ? pct(st.totals[k]) : FMT(st.totals[k]) })));
    });
    var rows = st.rows.map(function (r) {
      return { org: r.org, name: r.name || r.org, retired: r.retired, units: r.units, claimed: r.claimed,
        fulfilled: r.fulfilled, confirmed: r.confirmed, expired: r.expired, satisfaction: r.satisfaction };
    });
    window.WishOrgChart.render($('org-chart'), rows, {
      title: t('admin.chartTitle', { org: here }),
      describe: function (r) { return t('admin.barTip', { org: r.name, units: r.units, claimed: r.claimed, fulfilled: r.fulfilled, confirmed: r.confirmed }); },
      onPick: drill
    });
    $('org-chart').hidden = !rows.length;
    $('org-legend').hidden = !rows.length;
    var body = $('org-rows');
    body.textContent = '';
    if (!rows.length) {
      body.appendChild(el('tr', { 'data-empty': 'true' }, el('td', { colspan: '7', text: t('admin.noChildren') })));
    }
    rows.forEach(function (r) {
      body.appendChild(el('tr', { 'data-org': r.org, 'data-retired': r.retired ? 'true' : 'false' },
        el('th', { scope: 'row' }, el('button', { type: 'button', class: 'btn-link', 'data-action': 'drill', 'data-org': r.org,
          'aria-label': t('admin.drill', { org: r.name }), text: r.name, onclick: function () { drill(r.org); } }),
          r.retired ? el('span', { class: 'tag', text: ' ' + t('admin.retiredTag') }) : null),
        el('td', { class: 'num', 'data-stat': 'units', text: FMT(r.units) }),
        el('td', { class: 'num', 'data-stat': 'claimed', text: FMT(r.claimed) }),
        el('td', { class: 'num', 'data-stat': 'fulfilled', text: FMT(r.fulfilled) }),
        el('td', { class: 'num', 'data-stat': 'confirmed', text: FMT(r.confirmed) }),
        el('td', { class: 'num', 'data-stat': 'expired', text: FMT(r.expired) }),
        el('td', { class: 'num', 'data-stat': 'satisfaction', text: pct(r.satisfaction) })));
    });
  }

  // ------------------------------------------------------------------ the tree: add, rename, retire

  /** The orgs this token may rename or retire: all for the administrator, strictly below its own for an organiser. */
  function editable() {
    return S.tree.ordered(tops()).filter(function (e) { return admin() || e.org.id !== S.me.org; });
  }

  function renderTreePanel() {
    var panel = $('orgs-panel');
    panel.hidden = !S.me;
    if (!S.me) { return; }
    Array.prototype.forEach.call(panel.querySelectorAll('.admin-only'), function (n) { n.hidden = !admin(); });
    var list = $('org-tree');
    list.textContent = '';
    S.tree.ordered(tops()).forEach(function (e) {
      var o = e.org;
      list.appendChild(el('li', { class: 'org-node' + (o.retired ? ' org-retired' : ''), 'data-org': o.id,
        style: 'padding-inline-start:' + (e.depth * 1.25) + 'em' },
        el('span', { class: 'org-name', text: o.name }), ' ', el('code', { text: o.id }),
        o.retired ? el('span', { class: 'tag', text: ' ' + t('admin.retiredTag') }) : null,
        admin() && !o.retired ? el('button', { type: 'button', class: 'btn btn-quiet btn-small', 'data-action': 'issue-token',
          'data-org': o.id, 'aria-label': t('admin.issueFor', { org: O.label(o) }), text: t('admin.issue'),
          onclick: function (ev) { issueToken(o.id, ev.currentTarget); } }) : null));
    });
    O.fillSelect($('org-add-parent'), S.tree, tops(), admin() ? { value: '', text: t('admin.orgNoParent') } : null, true);
    var edit = $('org-edit-id');
    var keep = edit.value;
    edit.textContent = '';
    editable().forEach(function (e) {
      edit.appendChild(el('option', { value: e.org.id, text: '\u00a0\u00a0'.repeat(e.depth) + O.label(e.org)
        + (e.org.retired ? ' · ' + t('admin.retiredTag') : '') }));
    });
    if (keep && S.tree.get(keep)) { edit.value = keep; }
  }

  /** An org or token route's refusal in words (a 404 there is about an org or a token, not a wish). */
  function orgError(res) {
    return function () {
      return res.data && res.data.error === 'not_found' ? t('err.not_found_org') : W.errorMessage(res);
    };
  }

  function addOrg(ev) {
    ev.preventDefault();
    var id = $('org-add-id').value.trim();
    var name = $('org-add-name').value.trim();
    var parent = $('org-add-parent').value;
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) { setMsg('orgs-msg', W.msg('admin.orgNeedId'), 'error'); $('org-add-id').focus(); return; }
    if (!name) { setMsg('orgs-msg', W.msg('admin.orgNeedName'), 'error'); $('org-add-name').focus(); return; }
    var body = { id: id, name: name };
    if (parent) { body.parent = parent; }
    $('org-add-submit').disabled = true;
    W.api('POST', '/api/orgs', { token: S.token(), body: body }).then(function (res) {
      $('org-add-submit').disabled = false;
      if (res.status === 201 && res.data) {
        var o = res.data;
        setMsg('orgs-msg', W.msg('admin.orgAdded', { org: O.label(o) }), 'ok');
        $('org-add-id').value = '';
        $('org-add-name').value = '';
        refreshTree().then(loadStats);
        return;
      }
      setMsg('orgs-msg', orgError(res), 'error');
    });
  }

  function renameOrg(ev) {
    ev.preventDefault();
    var id = $('org-edit-id').value;
    var name = $('org-edit-name').value.trim();
    if (!id) { setMsg('orgs-msg', W.msg('admin.orgNeedChoice'), 'error'); return; }
    if (!name) { setMsg('orgs-msg', W.msg('admin.orgNeedName'), 'error'); $('org-edit-name').focus(); return; }
    W.api('PATCH', '/api/orgs/' + encodeURIComponent(id), { token: S.token(), body: { name: name } }).then(function (res) {
      if (res.ok && res.data) {
        var o = res.data;
        setMsg('orgs-msg', W.msg('admin.orgRenamed', { org: O.label(o) }), 'ok');
        $('org-edit-name').value = '';
        refreshTree().then(loadStats);
        return;
      }
      setMsg('orgs-msg', orgError(res), 'error');
    });
  }

  function retireOrg() {
    var id = $('org-edit-id').value;
    if (!id) { setMsg('orgs-msg', W.msg('admin.orgNeedChoice'), 'error'); return; }
    if (!window.confirm(t('admin.orgRetireConfirm', { org: orgLabel(id) }))) { return; }
    W.api('POST', '/api/orgs/' + encodeURIComponent(id) + '/retire', { token: S.token() }).then(function (res) {
      if (res.ok && res.data) {
        var o = res.data;
        setMsg('orgs-msg', W.msg('admin.orgRetired', { org: O.label(o) }), 'ok');
        refreshTree().then(loadStats);
        return;
      }
      setMsg('orgs-msg', orgError(res), 'error');
    });
  }

  // ------------------------------------------------------------------ organiser tokens

  function issueToken(id, button) {
    button.disabled = true;
    W.api('POST', '/api/orgs/' + encodeURIComponent(id) + '/tokens', { token: S.token(), body: {} }).then(function (res) {
      button.disabled = false;
      if (res.status === 201 && res.data) {
        var d = res.data;
        $('issued').hidden = false;
        $('issued').setAttribute('data-org', d.org);
        W.show($('issued-what'), W.msg('admin.issued', { org: function () { return orgLabel(d.org); },
          expires: function () { return W.formatTime(d.expiresAt); } }));
        $('issued-token').value = d.token;
        W.show($('issued-jti'), W.msg('admin.issuedJti', { jti: d.jti }));
        $('issued-jti').setAttribute('data-jti', d.jti);
        setMsg('orgs-msg', '');
        $('issued-token').focus();
        $('issued-token').select();
        return;
      }
      setMsg('orgs-msg', orgError(res), 'error');
    });
  }

  function copyIssued() {
    var input = $('issued-token');
    var done = function () { setMsg('orgs-msg', W.msg('admin.copied'), 'ok'); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(input.value).then(done, function () { input.select(); document.execCommand('copy'); done(); });
    } else {
      input.select();
      document.execCommand('copy');
      done();
    }
  }

  function revokeToken(ev) {
    ev.preventDefault();
    var jti = $('revoke-jti').value.trim();
    if (!jti) { setMsg('orgs-msg', W.msg('admin.revokeNeed'), 'error'); $('revoke-jti').focus(); return; }
    W.api('DELETE', '/api/tokens/' + encodeURIComponent(jti), { token: S.token() }).then(function (res) {
      if (res.ok) {
        setMsg('orgs-msg', W.msg('admin.revoked', { jti: jti }), 'ok');
        $('revoke-jti').value = '';
        return;
      }
      setMsg('orgs-msg', orgError(res), 'error');
    });
  }

  // ------------------------------------------------------------------ start

  /** opts: {token: () → the organiser token, notify: the page's notifier}. */
  function init(opts) {
    S.token = opts.token;
    S.notify = opts.notify;
    $('org-add-form').addEventListener('submit', addOrg);
    $('org-edit-form').addEventListener('submit', renameOrg);
    $('org-retire').addEventListener('click', retireOrg);
    $('token-revoke-form').addEventListener('submit', revokeToken);
    $('issued-copy').addEventListener('click', copyIssued);
    W.onLangChange(function () {
      renderTreePanel();
      fillPublishSelect();
      renderStats();
    });
  }

  window.WishAdminOrgs = {
    init: init, identify: identify, inScope: inScope, scoped: scoped, orgLabel: orgLabel, loadStats: loadStats,
    loadStatsSoon: loadStatsSoon, refreshTree: refreshTree, onChange: onChange
  };
})();
