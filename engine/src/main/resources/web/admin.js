/*
 * The organiser page: organiser token, statistics, publishing campaigns (form or JSON), the list
 * of campaigns, the claims of one campaign (polled and refreshed on events), confirmation with the
 * beneficiary's rating, and the CSV ledger.
 */
(function () {
  'use strict';

  var W = window.Wish;
  var t = W.t;
  var el = W.el;

  W.addTexts({
    zh: {
      'admin.pageTitle': '微心愿 · 组织者后台',
      'admin.title': '组织者后台',
      'admin.tagline': '发布心愿、查看认领、回访确认',
      'wall.toolsLabel': '语言与链接',
      'wall.all': '全部',
      'admin.tokenTitle': '组织者令牌',
      'admin.tokenLabel': '组织者令牌',
      'admin.tokenSave': '保存',
      'admin.tokenForget': '清除',
      'admin.tokenHelp': '启动引擎时设置或生成的组织者令牌(--admin-token,或 data/secrets.properties)。它只保存在本标签页(sessionStorage),关闭标签页即清除。',
      'admin.tokenMissing': '请先填写组织者令牌。',
      'admin.tokenChecking': '正在验证令牌…',
      'admin.tokenOk': '组织者令牌有效,已保存在本标签页。',
      'admin.tokenBad': '令牌无效:{reason}',
      'admin.tokenUser': '这是用户令牌,不是组织者令牌。',
      'admin.tokenForgotten': '已清除组织者令牌。',
      'admin.needToken': '请先在上方填写组织者令牌。',
      'admin.statsTitle': '总体数据',
      'admin.refresh': '刷新',
      'admin.st.campaigns': '场次',
      'admin.st.wishes': '心愿',
      'admin.st.units': '总份数',
      'admin.st.remaining': '待认领',
      'admin.st.claimed': '已认领',
      'admin.st.fulfilled': '已送达',
      'admin.st.confirmed': '已确认',
      'admin.st.cancelled': '已放弃',
      'admin.st.expired': '已超时',
      'admin.st.satisfaction': '满意度',
      'admin.publishTitle': '发布场次',
      'admin.cTitle': '场次名称',
      'admin.cId': '场次编号',
      'admin.idNote': '可留空,由系统生成;字母、数字、_ 和 -',
      'admin.cOpens': '开抢时间',
      'admin.opensNote': '按本机时区填写;留空表示立即开放',
      'admin.cLimit': '每人限认领',
      'admin.cWithin': '送达期限(小时)',
      'admin.wishesHeading': '心愿',
      'admin.wishN': '心愿 {n}',
      'admin.wTitle': '心愿内容',
      'admin.wId': '编号',
      'admin.wQty': '份数',
      'admin.wCategory': '类别',
      'admin.wLocation': '地点',
      'admin.wBeneficiary': '受助人(化名)',
      'admin.wDescription': '心愿故事 / 说明',
      'admin.removeWish': '删除心愿 {n}',
      'admin.addWish': '+ 添加心愿',
      'admin.publish': '发布场次',
      'admin.publishing': '正在发布…',
      'admin.published': '已发布「{title}」(编号 {id}),共 {n} 个心愿。',
      'admin.titleRequired': '请填写场次名称。',
      'admin.wishTitleRequired': '请填写心愿 {n} 的内容。',
      'admin.badOpens': '开抢时间格式不正确。',
      'admin.fieldError': '“{field}”不符合要求:{message}',
      'admin.jsonTitle': '用 JSON 发布(上传文件或粘贴)',
      'admin.jsonFile': '选择 JSON 文件',
      'admin.jsonText': 'JSON 内容(与 POST /api/campaigns 的请求体相同)',
      'admin.jsonExample': '填入示例',
      'admin.jsonPublish': '发布 JSON',
      'admin.jsonInvalid': 'JSON 格式有误:{message}',
      'admin.jsonEmpty': '请先粘贴或选择 JSON。',
      'admin.campaignsTitle': '全部场次',
      'admin.colId': '编号',
      'admin.colTitle': '名称',
      'admin.colOpens': '开抢时间',
      'admin.colWishes': '心愿',
      'admin.colUnits': '份数',
      'admin.colRemaining': '剩余',
      'admin.colActions': '操作',
      'admin.watch': '查看认领',
      'admin.watching': '正在查看',
      'admin.upcoming': '未开始',
      'admin.open': '进行中',
      'admin.noCampaigns': '还没有场次。',
      'admin.claimsTitle': '认领记录',
      'admin.claimsTitleOf': '认领记录 · {title}',
      'admin.autoRefresh': '每 3 秒及有新动态时自动刷新',
      'admin.claimsCampaign': '场次',
      'admin.claimsStatus': '状态',
      'admin.chooseCampaign': '请选择场次',
      'admin.csv': '下载 CSV 台账',
      'admin.csvReady': '{name} 已生成,点此保存',
      'admin.colClaim': '认领编号',
      'admin.colWish': '心愿',
      'admin.colUser': '认领人',
      'admin.colStatus': '状态',
      'admin.colClaimedAt': '认领时间',
      'admin.colFulfilledAt': '送达时间',
      'admin.colFeedback': '回访',
      'admin.noClaims': '这个场次还没有认领。',
      'admin.summary': '共 {n} 条认领:已认领 {claimed} · 已送达 {fulfilled} · 已确认 {confirmed} · 已放弃 {cancelled} · 已超时 {expired}',
      'admin.rating': '评分',
      'admin.ratingOf': '{claim} 的评分',
      'admin.comment': '回访留言',
      'admin.commentOf': '{claim} 的回访留言',
      'admin.confirm': '确认圆梦',
      'admin.confirmDone': '已确认 {claim},评分 {rating}。',
      'admin.fulfilFor': '代为标记送达',
      'admin.cancelFor': '取消认领',
      'admin.cancelConfirm': '确定取消认领 {claim} 吗?名额会回到心愿墙。',
      'admin.actionDone': '{claim} 已更新为“{status}”。',
      'admin.stars': '{n} 星',
      'admin.cFair': '公平开抢窗口(秒)',
      'admin.fairNote': '0 表示先到先得;填 N 则开抢后 N 秒内的认领都是平等的抽签资格,窗口结束时一次抽签决定',
      'admin.fairTag': '公平开抢 {n} 秒',
      'admin.drawTitle': '公平开抢 · 抽签',
      'admin.dWindow': '抽签窗口',
      'admin.dWindowVal': '{n} 秒:{from} – {to}',
      'admin.dDrawAt': '抽签时间',
      'admin.dCommitment': '承诺值(种子的 SHA-256)',
      'admin.dEntries': '抽签资格',
      'admin.dState': '状态',
      'admin.dPending': '等待抽签',
      'admin.dDrawnAt': '已于 {time} 抽签',
      'admin.dWinners': '中签',
      'admin.dWinnersVal': '{m} / {n} 个资格',
      'admin.dRecord': '抽签记录',
      'admin.dRecordLink': 'JSON',
      'admin.verifyPending': '抽签后将在本浏览器里验证结果。',
      'admin.verifying': '正在本浏览器里验证抽签…',
      'admin.verified': '已验证 ✓({n} 个资格,{m} 个中签)',
      'admin.mismatch': '不一致:{where},应为 {expected},实为 {found}',
      'admin.verifyCli': '本页无法在这里验证(浏览器只在 https 或 localhost 上提供加密功能)。请用命令验证:{cmd}',
      'admin.verifyFailed': '无法读取抽签记录:{reason}'
    },
    en: {
      'admin.pageTitle': 'Micro-wishes · Organisers',
      'admin.title': 'Organisers',
      'admin.tagline': 'Publish wishes, watch claims, confirm with beneficiaries',
      'wall.toolsLabel': 'Language and links',
      'wall.all': 'All',
      'admin.tokenTitle': 'Organiser token',
      'admin.tokenLabel': 'Organiser token',
      'admin.tokenSave': 'Save',
      'admin.tokenForget': 'Forget',
      'admin.tokenHelp': 'The organiser token the engine was started with or generated (--admin-token, or data/secrets.properties). It is kept only in this tab (sessionStorage) and is gone when you close it.',
      'admin.tokenMissing': 'Enter the organiser token first.',
      'admin.tokenChecking': 'Checking the token…',
      'admin.tokenOk': 'Organiser token accepted and kept in this tab.',
      'admin.tokenBad': 'Token not accepted: {reason}',
      'admin.tokenUser': 'This is a user token, not the organiser token.',
      'admin.tokenForgotten': 'The organiser token was removed from this tab.',
      'admin.needToken': 'Enter the organiser token above first.',
      'admin.statsTitle': 'Overview',
      'admin.refresh': 'Refresh',
      'admin.st.campaigns': 'Campaigns',
      'admin.st.wishes': 'Wishes',
      'admin.st.units': 'Units',
      'admin.st.remaining': 'Unclaimed',
      'admin.st.claimed': 'Claimed',
      'admin.st.fulfilled': 'Delivered',
      'admin.st.confirmed': 'Confirmed',
      'admin.st.cancelled': 'Given back',
      'admin.st.expired': 'Expired',
      'admin.st.satisfaction': 'Satisfaction',
      'admin.publishTitle': 'Publish a campaign',
      'admin.cTitle': 'Campaign title',
      'admin.cId': 'Campaign id',
      'admin.idNote': 'Optional, generated if empty; letters, digits, _ and -',
      'admin.cOpens': 'Opens at',
      'admin.opensNote': 'In this computer’s time zone; empty means open at once',
      'admin.cLimit': 'Claims per person',
      'admin.cWithin': 'Deliver within (hours)',
      'admin.wishesHeading': 'Wishes',
      'admin.wishN': 'Wish {n}',
      'admin.wTitle': 'What is wished for',
      'admin.wId': 'Id',
      'admin.wQty': 'Units',
      'admin.wCategory': 'Category',
      'admin.wLocation': 'Location',
      'admin.wBeneficiary': 'Beneficiary (alias)',
      'admin.wDescription': 'Story / details',
      'admin.removeWish': 'Remove wish {n}',
      'admin.addWish': '+ Add a wish',
      'admin.publish': 'Publish campaign',
      'admin.publishing': 'Publishing…',
      'admin.published': 'Published "{title}" (id {id}) with {n} wishes.',
      'admin.published.one': 'Published "{title}" (id {id}) with 1 wish.',
      'admin.titleRequired': 'Enter the campaign title.',
      'admin.wishTitleRequired': 'Enter what wish {n} is for.',
      'admin.badOpens': 'The opening time is not valid.',
      'admin.fieldError': '"{field}" is not valid: {message}',
      'admin.jsonTitle': 'Publish from JSON (upload a file or paste)',
      'admin.jsonFile': 'Choose a JSON file',
      'admin.jsonText': 'JSON (the same body as POST /api/campaigns)',
      'admin.jsonExample': 'Insert an example',
      'admin.jsonPublish': 'Publish JSON',
      'admin.jsonInvalid': 'The JSON is not valid: {message}',
      'admin.jsonEmpty': 'Paste or choose some JSON first.',
      'admin.campaignsTitle': 'All campaigns',
      'admin.colId': 'Id',
      'admin.colTitle': 'Title',
      'admin.colOpens': 'Opens',
      'admin.colWishes': 'Wishes',
      'admin.colUnits': 'Units',
      'admin.colRemaining': 'Left',
      'admin.colActions': 'Actions',
      'admin.watch': 'Watch claims',
      'admin.watching': 'Watching',
      'admin.upcoming': 'not open yet',
      'admin.open': 'open',
      'admin.noCampaigns': 'No campaigns yet.',
      'admin.claimsTitle': 'Claims',
      'admin.claimsTitleOf': 'Claims · {title}',
      'admin.autoRefresh': 'Refreshes every 3 s and on live events',
      'admin.claimsCampaign': 'Campaign',
      'admin.claimsStatus': 'Status',
      'admin.chooseCampaign': 'Choose a campaign',
      'admin.csv': 'Download CSV ledger',
      'admin.csvReady': '{name} is ready: save it',
      'admin.colClaim': 'Claim',
      'admin.colWish': 'Wish',
      'admin.colUser': 'Claimed by',
      'admin.colStatus': 'Status',
      'admin.colClaimedAt': 'Claimed',
      'admin.colFulfilledAt': 'Delivered',
      'admin.colFeedback': 'Follow-up',
      'admin.noClaims': 'No claims in this campaign yet.',
      'admin.summary.one': '1 claim: {claimed} claimed · {fulfilled} delivered · {confirmed} confirmed · {cancelled} given back · {expired} expired',
      'admin.summary': '{n} claims: {claimed} claimed · {fulfilled} delivered · {confirmed} confirmed · {cancelled} given back · {expired} expired',
      'admin.rating': 'Rating',
      'admin.ratingOf': 'Rating for {claim}',
      'admin.comment': 'Comment',
      'admin.commentOf': 'Follow-up comment for {claim}',
      'admin.confirm': 'Confirm',
      'admin.confirmDone': 'Confirmed {claim} with rating {rating}.',
      'admin.fulfilFor': 'Mark delivered',
      'admin.cancelFor': 'Cancel claim',
      'admin.cancelConfirm': 'Cancel claim {claim}? The unit returns to the wall.',
      'admin.actionDone': '{claim} is now "{status}".',
      'admin.stars': '{n} stars',
      'admin.cFair': 'Fair-start window (s)',
      'admin.fairNote': '0: first come, first served. N: every claim in the first N seconds is an equal entry, and one draw settles them when the window closes',
      'admin.fairTag': 'fair start {n} s',
      'admin.drawTitle': 'Fair start · the draw',
      'admin.dWindow': 'Window',
      'admin.dWindowVal': '{n} s: {from} – {to}',
      'admin.dDrawAt': 'Draw at',
      'admin.dCommitment': 'Commitment (SHA-256 of the seed)',
      'admin.dEntries': 'Entries',
      'admin.dState': 'State',
      'admin.dPending': 'waiting for the draw',
      'admin.dDrawnAt': 'drawn at {time}',
      'admin.dWinners': 'Winners',
      'admin.dWinnersVal': '{m} of {n} entries',
      'admin.dRecord': 'Draw record',
      'admin.dRecordLink': 'JSON',
      'admin.verifyPending': 'Once drawn, the result is verified in this browser.',
      'admin.verifying': 'Verifying the draw in this browser…',
      'admin.verified': 'verified ✓ ({n} entries, {m} winners)',
      'admin.mismatch': 'MISMATCH at {where}: expected {expected}, found {found}',
      'admin.verifyCli': 'This page cannot check the draw here (browsers offer their cryptography only on https or localhost). Verify with: {cmd}',
      'admin.verifyFailed': 'Could not read the draw record: {reason}'
    }
  });

  var $ = function (id) { return document.getElementById(id); };
  var notify = W.notifier($('notice'));
  var tokens = W.tokenStore('wish.adminToken');
  var AO = window.WishAdminOrgs;

  var S = {
    campaigns: [],
    selected: '',
    wishTitles: new Map(),   // campaign id -> Map(wish id -> title)
    claims: [],
    pollTimer: null,
    csvUrl: null,
    rowCount: 0,
    draw: null,              // the selected campaign's GET /api/campaigns/{id}/draw body
    verifying: null,         // the key of the verification under way
    verdicts: new Map()      // campaign id + '@' + drawnAt -> verdict (a draw never changes once made)
  };

  function token() { return tokens.get(); }

  function setMsg(id, text, kind) {
    var node = $(id);
    W.show(node, text || '');
    node.className = 'field-msg' + (kind ? ' field-msg-' + kind : '');
  }

  // ------------------------------------------------------------------ token

  /** GET /api/admin/whoami: 200 for the organiser token, 401/403 for anything else. */
  function checkToken() {
    var tok = token();
    if (!tok) { return Promise.resolve(false); }
    setMsg('admin-token-msg', W.msg('admin.tokenChecking'));
    return W.api('GET', '/api/admin/whoami', { token: tok }).then(function (res) {
      if (res.ok) {
        setMsg('admin-token-msg', W.msg('admin.tokenOk'), 'ok');
        document.body.setAttribute('data-organiser', 'true');
        return AO.identify(res.data).then(function () { return true; });
      }
      document.body.setAttribute('data-organiser', 'false');
      AO.identify(null);
      setMsg('admin-token-msg', res.status === 403 ? W.msg('admin.tokenUser')
        : W.msg('admin.tokenBad', { reason: function () { return W.errorMessage(res); } }), 'error');
      return false;
    });
  }

  function saveToken(ev) {
    ev.preventDefault();
    var input = $('admin-token');
    var v = input.value.trim().replace(/^Bearer\s+/i, '');
    if (!v) {
      input.setAttribute('aria-invalid', 'true');
      setMsg('admin-token-msg', W.msg('admin.tokenMissing'), 'error');
      input.focus();
      return;
    }
    input.removeAttribute('aria-invalid');
    tokens.set(v);
    checkToken().then(function (ok) { if (ok && S.selected) { loadClaims(); } });
  }

  function forgetToken() {
    tokens.clear();
    $('admin-token').value = '';
    document.body.removeAttribute('data-organiser');
    AO.identify(null);
    setMsg('admin-token-msg', W.msg('admin.tokenForgotten'), 'ok');
    $('admin-token').focus();
  }

  /**
   * A 403's message: a scoped organiser was refused outside its org (the server's words, in the
   * page's language); the district's pages otherwise were given a user token.
   */
  function forbidden(res) {
    return AO.scoped() ? function () { return W.errorMessage(res); } : W.msg('admin.tokenUser');
  }

  function needToken(msgId) {
    if (token()) { return false; }
    setMsg(msgId, W.msg('admin.needToken'), 'error');
    notify(W.msg('admin.needToken'), 'error');
    $('admin-token').focus();
    return true;
  }

  // ------------------------------------------------------------------ stats

  var STAT_KEYS = ['campaigns', 'wishes', 'units', 'remaining', 'claimed', 'fulfilled', 'confirmed', 'cancelled', 'expired', 'satisfaction'];

  function renderStats(node, s, skip) {
    node.textContent = '';
    var fmt = new Intl.NumberFormat(W.lang() === 'zh' ? 'zh-CN' : 'en-GB');
    STAT_KEYS.forEach(function (k) {
      if (s[k] === undefined || k === skip) { return; }
      var v = k === 'satisfaction'
        ? (typeof s[k] === 'number' ? (Math.round(s[k] * 1000) / 10).toFixed(1) + '%' : t('common.none'))
        : fmt.format(s[k]);
      node.appendChild(el('div', { 'data-stat': k }, el('dt', { text: t('admin.st.' + k) }), el('dd', { text: v })));
    });
  }

  var lastStats = null;
  var lastCampaignStats = null;

  function loadStats() {
    AO.loadStats();
    W.api('GET', '/api/stats').then(function (res) {
      if (res.ok && res.data) { lastStats = res.data; renderStats($('stats-all'), res.data); }
    });
    if (S.selected) {
      var cid = S.selected;
      W.api('GET', '/api/stats?campaign=' + encodeURIComponent(cid)).then(function (res) {
        if (res.ok && res.data && cid === S.selected) {
          lastCampaignStats = res.data;
          $('stats-campaign').hidden = false;
          renderStats($('stats-campaign'), res.data, 'campaigns');
        }
      });
    }
  }

  var loadStatsSoon = W.debounce(loadStats, 1000);

  // ------------------------------------------------------------------ publishing: the form

  function wishRow(n) {
    var i = n - 1;
    var base = 'w' + n + '-';
    var field = function (key, labelKey, input, cls) {
      input.id = base + key;
      input.setAttribute('data-field', 'wishes[' + i + '].' + key);
      input.setAttribute('data-key', key);
      return el('div', { class: 'field' + (cls ? ' ' + cls : '') },
        el('label', { for: input.id, class: key === 'title' ? 'required' : null, 'data-i18n': labelKey }), input);
    };
    var row = el('fieldset', { class: 'wish-row', 'data-row': String(n) },
      el('legend', { 'data-role': 'legend' }),
      el('div', { class: 'grid-form' },
        field('id', 'admin.wId', el('input', { maxlength: '64', autocomplete: 'off' })),
        field('title', 'admin.wTitle', el('input', { maxlength: '2000', required: true })),
        field('quantity', 'admin.wQty', el('input', { type: 'number', min: '1', max: '100000', step: '1', value: '1', inputmode: 'numeric' })),
        field('category', 'admin.wCategory', el('input', { list: 'category-list', maxlength: '2000', autocomplete: 'off' })),
        field('location', 'admin.wLocation', el('input', { maxlength: '2000' })),
        field('beneficiary', 'admin.wBeneficiary', el('input', { maxlength: '2000' })),
        field('description', 'admin.wDescription', el('textarea', { rows: '2', maxlength: '2000' }), 'field-wide')),
      el('div', { class: 'row-actions' },
        el('button', { type: 'button', class: 'btn btn-quiet btn-small', 'data-action': 'remove-wish', 'data-role': 'remove' })));
    W.apply(row);
    return row;
  }

  /** Renumbers the rows (ids, labels, data-field paths) after adding or removing one. */
  function renumberRows() {
    var rows = $('wish-rows').querySelectorAll('.wish-row');
    Array.prototype.forEach.call(rows, function (row, idx) {
      var n = idx + 1;
      row.setAttribute('data-row', String(n));
      row.querySelector('[data-role=legend]').textContent = t('admin.wishN', { n: n });
      Array.prototype.forEach.call(row.querySelectorAll('[data-key]'), function (input) {
        var key = input.getAttribute('data-key');
        var label = row.querySelector('label[for="' + input.id + '"]');
        input.id = 'w' + n + '-' + key;
        if (label) { label.setAttribute('for', input.id); }
        input.setAttribute('data-field', 'wishes[' + idx + '].' + key);
      });
      var rm = row.querySelector('[data-role=remove]');
      rm.textContent = t('admin.removeWish', { n: n });
      rm.disabled = rows.length === 1;
    });
  }

  function addWishRow(focus) {
    var n = $('wish-rows').children.length + 1;
    var row = wishRow(n);
    $('wish-rows').appendChild(row);
    renumberRows();
    if (focus) { row.querySelector('[data-key=title]').focus(); }
  }

  function clearInvalid(form) {
    Array.prototype.forEach.call(form.querySelectorAll('[aria-invalid]'), function (n) { n.removeAttribute('aria-invalid'); });
  }

  function markInvalid(field, msgId, text) {
    var input = field ? document.querySelector('[data-field="' + field + '"]') : null;
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
    setMsg(msgId, text, 'error');
  }

  function toInt(v) {
    return v === '' ? undefined : Number(v);
  }

  function formBody() {
    var body = { title: $('c-title').value.trim() };
    var id = $('c-id').value.trim();
    if (id) { body.id = id; }
    var opens = $('c-opens').value;
    if (opens) {
      var d = new Date(opens);
      if (isNaN(d.getTime())) { return { error: 'opensAt', message: W.msg('admin.badOpens') }; }
      body.opensAt = d.toISOString();
    }
    var limit = toInt($('c-limit').value.trim());
    if (limit !== undefined) { body.perUserLimit = limit; }
    var within = toInt($('c-within').value.trim());
    if (within !== undefined) { body.fulfilWithinHours = within; }
    if (!$('c-org-field').hidden && $('c-org').value) { body.org = $('c-org').value; }
    var fair = toInt($('c-fair').value.trim());
    if (fair) { body.fairStart = { windowSeconds: fair }; }
    if (!body.title) { return { error: 'title', message: W.msg('admin.titleRequired') }; }
    body.wishes = [];
    var rows = $('wish-rows').querySelectorAll('.wish-row');
    for (var i = 0; i < rows.length; i++) {
      var w = {};
      var row = rows[i];
      var val = function (k) { return row.querySelector('[data-key=' + k + ']').value.trim(); };
      if (!val('title')) { return { error: 'wishes[' + i + '].title', message: W.msg('admin.wishTitleRequired', { n: i + 1 }) }; }
      w.title = val('title');
      if (val('id')) { w.id = val('id'); }
      var q = toInt(val('quantity'));
      if (q !== undefined) { w.quantity = q; }
      ['category', 'location', 'beneficiary', 'description'].forEach(function (k) { if (val(k)) { w[k] = val(k); } });
      body.wishes.push(w);
    }
    return { body: body };
  }

  /** Posts a campaign; invalidInput, when given, is the one input to mark for any refusal (JSON). */
  function publish(body, msgId, button, onDone, invalidInput) {
    if (needToken(msgId)) { return; }
    button.disabled = true;
    setMsg(msgId, W.msg('admin.publishing'));
    W.api('POST', '/api/campaigns', { token: token(), body: body }).then(function (res) {
      button.disabled = false;
      if (res.status === 201 && res.data) {
        var c = res.data;
        var text = function () { return W.tn('admin.published', (c.wishes || []).length, { title: c.title, id: c.id }); };
        setMsg(msgId, text, 'ok');
        notify(text, 'ok');
        rememberTitles(c);
        S.selected = c.id;
        loadCampaigns().then(function () { selectCampaign(c.id, false); });
        if (onDone) { onDone(c); }
        return;
      }
      var d = res.data || {};
      var text2 = function () { return W.errorMessage(res); };
      if (d.error === 'invalid_request' && d.field) {
        text2 = W.msg('admin.fieldError', { field: d.field, message: d.message || '' });
      }
      if (res.status === 403) { text2 = forbidden(res); }
      if (invalidInput) {
        if (d.error === 'invalid_request' || d.error === 'already_exists') {
          invalidInput.setAttribute('aria-invalid', 'true');
          invalidInput.focus();
        }
        setMsg(msgId, text2, 'error');
      } else {
        markInvalid(d.field || (d.error === 'already_exists' ? fieldOfId(d.id) : null), msgId, text2);
      }
      notify(text2, 'error');
    });
  }

  /** The form field holding a taken id, so that it can be marked. */
  function fieldOfId(id) {
    if (!id) { return null; }
    if ($('c-id').value.trim() === id) { return 'id'; }
    var match = null;
    Array.prototype.forEach.call(document.querySelectorAll('#wish-rows [data-key=id]'), function (input) {
      if (!match && input.value.trim() === id) { match = input.getAttribute('data-field'); }
    });
    return match;
  }

  function submitForm(ev) {
    ev.preventDefault();
    var form = $('campaign-form');
    clearInvalid(form);
    var built = formBody();
    if (built.error) { markInvalid(built.error, 'publish-msg', built.message); return; }
    publish(built.body, 'publish-msg', $('publish-submit'), function () {
      form.reset();
      $('wish-rows').textContent = '';
      addWishRow(false);
    });
  }

  // ------------------------------------------------------------------ publishing: JSON

  function example() {
    var opens = new Date(Date.now() + 3600000);
    opens.setSeconds(0, 0);
    return JSON.stringify({
      id: 'c-example-' + opens.toISOString().slice(0, 10).replace(/-/g, ''),
      title: '冬日暖心微心愿 · Winter warmth',
      opensAt: opens.toISOString(),
      perUserLimit: 1,
      fulfilWithinHours: 168,
      wishes: [
        { title: '给王奶奶的一台收音机 · A radio for Grandma Wang', quantity: 1, category: 'elderly',
          location: '朱泾镇 东兴居委', beneficiary: '王奶奶 / Grandma Wang, 82', description: '老收音机十月坏了。Her old one broke in October.' },
        { title: '十个新书包 · Ten school bags', quantity: 10, category: 'education', location: '朱泾镇 待泾村', beneficiary: '三年级 / Year 3' }
      ]
    }, null, 2);
  }

  function publishJson() {
    var area = $('json-text');
    area.removeAttribute('aria-invalid');
    var text = area.value.trim();
    if (!text) { area.setAttribute('aria-invalid', 'true'); setMsg('json-msg', W.msg('admin.jsonEmpty'), 'error'); area.focus(); return; }
    try {
      JSON.parse(text);
    } catch (e) {
      area.setAttribute('aria-invalid', 'true');
      setMsg('json-msg', W.msg('admin.jsonInvalid', { message: e.message }), 'error');
      area.focus();
      return;
    }
    publish(text, 'json-msg', $('json-publish'), null, area);
  }

  function readJsonFile() {
    var file = $('json-file').files[0];
    if (!file) { return; }
    var reader = new FileReader();
    reader.onload = function () { $('json-text').value = String(reader.result || ''); setMsg('json-msg', file.name); };
    reader.readAsText(file, 'utf-8');
  }

  // ------------------------------------------------------------------ campaigns

  function rememberTitles(detail) {
    var m = new Map();
    (detail.wishes || []).forEach(function (w) { m.set(w.id, w.title); });
    S.wishTitles.set(detail.id, m);
  }

  function loadCampaigns() {
    return W.api('GET', '/api/campaigns').then(function (res) {
      if (!res.ok || !res.data) { notify(function () { return W.errorMessage(res); }, 'error'); return; }
      S.campaigns = res.data.campaigns.slice().sort(function (a, b) {
        return Date.parse(b.createdAt || b.opensAt) - Date.parse(a.createdAt || a.opensAt);
      });
      renderCampaigns();
    });
  }

  var loadCampaignsSoon = W.debounce(loadCampaigns, 1000);

  /**
   * The campaigns of this token's scope: a town's organiser sees its subtree's only (the server
   * refuses the others' ledgers and actions anyway); the district and a page without token see all.
   */
  function visibleCampaigns() {
    return S.campaigns.filter(function (c) { return AO.inScope(c.org); });
  }

  function renderCampaigns() {
    var body = $('campaign-rows');
    var focusKey = document.activeElement && body.contains(document.activeElement)
      ? document.activeElement.getAttribute('data-campaign-id') : null;
    body.textContent = '';
    var shown = visibleCampaigns();
    if (!shown.length) {
      body.appendChild(el('tr', null, el('td', { colspan: '7', text: t('admin.noCampaigns') })));
    }
    var now = Date.now();
    shown.forEach(function (c) {
      var selected = c.id === S.selected;
      var open = Date.parse(c.opensAt) <= now;
      body.appendChild(el('tr', { 'data-campaign-id': c.id, 'aria-selected': selected ? 'true' : 'false' },
        el('td', null, el('code', { text: c.id })),
        el('td', null, c.title, c.org ? el('div', { class: 'field-note', 'data-role': 'org', text: AO.orgLabel(c.org) }) : null),
        el('td', null, W.formatTime(c.opensAt, true), el('br'), el('span', { class: 'field-note',
          text: (open ? t('admin.open') : t('admin.upcoming'))
            + (c.fairStart ? ' · ' + t('admin.fairTag', { n: c.fairStart.windowSeconds }) : '') })),
        el('td', { class: 'num', text: String(c.wishCount) }),
        el('td', { class: 'num', text: String(c.units) }),
        el('td', { class: 'num', text: String(c.remaining) }),
        el('td', null, el('button', { type: 'button', class: 'btn btn-small ' + (selected ? 'btn-primary' : 'btn-quiet'),
          'data-action': 'watch', 'data-campaign-id': c.id, 'aria-pressed': selected ? 'true' : 'false',
          text: selected ? t('admin.watching') : t('admin.watch') }))));
    });
    var sel = $('claims-campaign');
    sel.textContent = '';
    sel.appendChild(el('option', { value: '', text: t('admin.chooseCampaign') }));
    shown.forEach(function (c) { sel.appendChild(el('option', { value: c.id, text: c.title + ' (' + c.id + ')' })); });
    sel.value = S.selected;
    if (focusKey) {
      var again = body.querySelector('button[data-campaign-id="' + focusKey + '"]');
      if (again) { again.focus(); }
    }
  }

  function selectCampaign(cid, moveFocus) {
    if (S.selected !== cid) {
      S.claims = [];
      $('claim-rows').textContent = '';
      $('csv-link').hidden = true;
    }
    S.selected = cid;
    renderCampaigns();
    var c = S.campaigns.filter(function (x) { return x.id === cid; })[0];
    $('claims-title').textContent = c ? t('admin.claimsTitleOf', { title: c.title }) : t('admin.claimsTitle');
    $('stats-campaign').hidden = !cid;
    if (S.draw && S.draw.campaignId !== cid) { S.draw = null; }
    loadDraw();
    if (!cid) { return; }
    if (!S.wishTitles.has(cid)) {
      W.api('GET', '/api/campaigns/' + encodeURIComponent(cid)).then(function (res) {
        if (res.ok && res.data) { rememberTitles(res.data); renderClaims(true); }
      });
    }
    loadClaims();
    loadStats();
    if (moveFocus) { $('claims-title').focus(); }
    clearInterval(S.pollTimer);
    S.pollTimer = setInterval(function () {
      if (document.hidden) { return; }
      loadClaims();
      // Entries make no events: a pending draw's entry count is polled with the claims.
      if (!S.draw || S.draw.state !== 'drawn') { loadDraw(); }
    }, 3000);
  }

  // ------------------------------------------------------------------ fair start: the draw

  function selectedCampaign() {
    return S.campaigns.filter(function (x) { return x.id === S.selected; })[0];
  }

  /** Reads the selected fair-start campaign's draw (public): pending with its entry count, or the drawn record. */
  function loadDraw() {
    var c = selectedCampaign();
    if (!c || !c.fairStart) { $('draw-panel').hidden = true; return; }
    $('draw-panel').hidden = false;
    var cid = c.id;
    renderDraw();
    W.apiRetry('GET', '/api/campaigns/' + encodeURIComponent(cid) + '/draw').then(function (res) {
      if (cid !== S.selected) { return; }
      if (!res.ok || !res.data) {
        showVerdict('error', W.msg('admin.verifyFailed', { reason: function () { return W.errorMessage(res); } }));
        return;
      }
      S.draw = res.data;
      renderDraw();
    });
  }

  var loadDrawSoon = W.debounce(loadDraw, 300);

  function fact(key, value, name) {
    var dd = el('dd', { 'data-fact': name });
    if (typeof value === 'string') { dd.textContent = value; } else { dd.appendChild(value); }
    return el('div', { 'data-fact-row': name }, el('dt', { text: t(key) }), dd);
  }

  /** The draw's facts from the campaign and its record, then the browser's verdict on a drawn record. */
  function renderDraw() {
    var c = selectedCampaign();
    if (!c || !c.fairStart) { return; }
    var f = c.fairStart;
    var d = S.draw && S.draw.campaignId === c.id ? S.draw : null;
    var drawn = !!d && d.state === 'drawn';
    var facts = $('draw-facts');
    facts.textContent = '';
    facts.appendChild(fact('admin.dWindow', t('admin.dWindowVal',
      { n: f.windowSeconds, from: W.formatClock(c.opensAt), to: W.formatClock(f.drawAt) }), 'window'));
    facts.appendChild(fact('admin.dDrawAt', W.formatTime(f.drawAt, true), 'drawAt'));
    facts.appendChild(fact('admin.dCommitment', el('code', { class: 'commitment', text: f.seedCommitment }), 'commitment'));
    if (d) {
      var entries = drawn ? d.entries.length : d.entryCount;
      facts.appendChild(fact('admin.dEntries', String(entries), 'entries'));
      facts.appendChild(fact('admin.dState', drawn ? t('admin.dDrawnAt', { time: W.formatTime(d.drawnAt, true) })
        : t('admin.dPending'), 'state'));
    }
    if (drawn) {
      facts.appendChild(fact('admin.dWinners', t('admin.dWinnersVal', { m: d.winners.length, n: d.entries.length }), 'winners'));
      facts.appendChild(fact('admin.dRecord', el('a', { href: '/api/campaigns/' + encodeURIComponent(c.id) + '/draw',
        type: 'application/json', text: t('admin.dRecordLink') }), 'record'));
      verifyDraw(d);
    } else {
      showVerdict('pending', W.msg('admin.verifyPending'));
    }
  }

  /**
   * Recomputes the drawn record with WishDrawVerify (WebCrypto): only on a secure context, so
   * elsewhere the page names the jar's verify-draw command, which checks the same record.
   */
  function verifyDraw(d) {
    var cid = d.campaignId;
    var key = cid + '@' + d.drawnAt;
    var known = S.verdicts.get(key);
    if (known) { showOutcome(known); return; }
    if (!window.WishDrawVerify || !window.WishDrawVerify.available()) {
      var cmd = 'java -jar wish-engine.jar verify-draw --url ' + location.origin + ' --campaign ' + cid;
      showVerdict('unavailable', W.msg('admin.verifyCli', { cmd: cmd }));
      return;
    }
    showVerdict('verifying', W.msg('admin.verifying'));
    if (S.verifying === key) { return; }
    S.verifying = key;
    window.WishDrawVerify.verify(d).then(function (verdict) {
      S.verifying = null;
      S.verdicts.set(key, verdict);
      if (S.selected === cid) { showOutcome(verdict); }
    }, function (err) {
      S.verifying = null;
      if (S.selected === cid) { showVerdict('error', W.msg('admin.verifyFailed', { reason: String(err && err.message || err) })); }
    });
  }

  function showOutcome(v) {
    if (v.ok) {
      showVerdict('verified', W.msg('admin.verified', { n: v.entries, m: v.winners }));
    } else {
      showVerdict('mismatch', W.msg('admin.mismatch', { where: v.where, expected: v.expected, found: v.found }));
    }
  }

  function showVerdict(state, message) {
    var node = $('draw-verify');
    node.setAttribute('data-state', state);
    node.className = 'draw-verify draw-verify-' + state;
    if (node.getAttribute('data-msg-key') !== message.key || node.textContent !== W.render(message)) { W.show(node, message); }
  }

  // ------------------------------------------------------------------ claims

  function loadClaims() {
    var cid = S.selected;
    if (!cid) { return; }
    if (!token()) { setMsg('claims-msg', W.msg('admin.needToken'), 'error'); return; }
    W.api('GET', '/api/campaigns/' + encodeURIComponent(cid) + '/claims', { token: token() }).then(function (res) {
      if (cid !== S.selected) { return; }
      if (!res.ok || !res.data) {
        setMsg('claims-msg', res.status === 403 ? forbidden(res) : function () { return W.errorMessage(res); }, 'error');
        return;
      }
      setMsg('claims-msg', '');
      S.claims = res.data.claims || [];
      renderClaims(false);
    });
  }

  var loadClaimsSoon = W.debounce(loadClaims, 300);

  function wishTitle(c) {
    var m = S.wishTitles.get(c.campaignId);
    return (m && m.get(c.wishId)) || c.wishId;
  }

  function feedbackCell(c) {
    if (c.status === 'fulfilled') {
      var rid = 'rate-' + c.id;
      var cid = 'comment-' + c.id;
      var select = el('select', { id: rid, 'data-role': 'rating', 'aria-label': t('admin.ratingOf', { claim: c.id }) });
      for (var i = 5; i >= 1; i--) {
        select.appendChild(el('option', { value: String(i), text: '★'.repeat(i) + ' ' + i }));
      }
      return el('td', null, el('div', { class: 'confirm-cell' },
        select,
        el('input', { id: cid, 'data-role': 'comment', maxlength: '2000', 'aria-label': t('admin.commentOf', { claim: c.id }),
          placeholder: t('admin.comment') }),
        el('button', { type: 'button', class: 'btn btn-small btn-primary', 'data-action': 'confirm', 'data-claim-id': c.id,
          text: t('admin.confirm') })));
    }
    if (c.status === 'claimed') {
      return el('td', null, el('div', { class: 'confirm-cell' },
        el('button', { type: 'button', class: 'btn btn-small btn-quiet', 'data-action': 'fulfil', 'data-claim-id': c.id, text: t('admin.fulfilFor') }),
        el('button', { type: 'button', class: 'btn btn-small btn-quiet', 'data-action': 'cancel', 'data-claim-id': c.id, text: t('admin.cancelFor') })));
    }
    if (c.status === 'confirmed') {
      return el('td', null, el('span', { 'aria-label': t('admin.stars', { n: c.rating }), text: '★'.repeat(c.rating || 0) + '☆'.repeat(5 - (c.rating || 0)) }),
        c.comment ? el('div', { class: 'claim-sub', text: c.comment }) : null);
    }
    return el('td', { text: t('common.none') });
  }

  /** The column headings, repeated on each cell: a phone shows each claim as a card of labelled lines. */
  var CLAIM_COLUMNS = ['admin.colClaim', 'admin.colWish', 'admin.colUser', 'admin.colStatus', 'admin.colClaimedAt',
    'admin.colFulfilledAt', 'admin.colFeedback'];

  function claimRow(c) {
    var fulfilled = c.fulfilledAt ? W.formatTime(c.fulfilledAt) : '';
    var row = el('tr', { id: 'claim-row-' + c.id, 'data-claim-id': c.id, 'data-status': c.status, 'data-wish-id': c.wishId },
      el('td', null, el('code', { text: c.id })),
      el('td', { text: wishTitle(c) }),
      el('td', { text: c.userId }),
      el('td', null, el('span', { class: 'status status-' + c.status, text: W.statusLabel(c.status) })),
      el('td', { text: W.formatTime(c.claimedAt, true) }),
      el('td', { text: fulfilled || t('common.none') }),
      feedbackCell(c));
    Array.prototype.forEach.call(row.children, function (td, i) { td.setAttribute('data-label', t(CLAIM_COLUMNS[i])); });
    return row;
  }

  /**
   * Updates the table in place: rows whose claim did not change are left alone, so a rating
   * being chosen or a comment being typed survives the polling.
   */
  function renderClaims(force) {
    var body = $('claim-rows');
    var filter = $('claims-status').value;
    var counts = { claimed: 0, fulfilled: 0, confirmed: 0, cancelled: 0, expired: 0 };
    var keep = new Set();
    var placeholder = body.querySelector('tr[data-empty]');
    if (placeholder) { body.removeChild(placeholder); }
    S.claims.forEach(function (c, i) {
      counts[c.status] = (counts[c.status] || 0) + 1;
      keep.add(c.id);
      var row = $('claim-row-' + c.id);
      if (!row || force || row.getAttribute('data-status') !== c.status) {
        var fresh = claimRow(c);
        var hadFocus = row && row.contains(document.activeElement);
        if (row) { body.replaceChild(fresh, row); } else { body.insertBefore(fresh, body.children[i] || null); }
        row = fresh;
        if (hadFocus) {
          var target = row.querySelector('button, select, input');
          if (target) { target.focus(); } else { row.setAttribute('tabindex', '-1'); row.focus(); }
        }
      }
      row.hidden = !!filter && c.status !== filter;
    });
    Array.prototype.slice.call(body.children).forEach(function (row) {
      if (!keep.has(row.getAttribute('data-claim-id'))) { body.removeChild(row); }
    });
    if (!S.claims.length) {
      body.appendChild(el('tr', { 'data-empty': 'true' }, el('td', { colspan: '7', text: t('admin.noClaims') })));
    }
    body.setAttribute('data-count', String(S.claims.length));
    var summary = W.tn('admin.summary', S.claims.length, {
      claimed: counts.claimed, fulfilled: counts.fulfilled, confirmed: counts.confirmed,
      cancelled: counts.cancelled, expired: counts.expired
    });
    if ($('claims-summary').textContent !== summary) { $('claims-summary').textContent = summary; }
  }

  function claimAction(action, claimId, button) {
    if (needToken('claims-msg')) { return; }
    var body = null;
    var rating = null;
    if (action === 'confirm') {
      var row = $('claim-row-' + claimId);
      rating = parseInt(row.querySelector('[data-role=rating]').value, 10);
      var comment = row.querySelector('[data-role=comment]').value.trim();
      body = { rating: rating };
      if (comment) { body.comment = comment; }
    }
    if (action === 'cancel' && !window.confirm(t('admin.cancelConfirm', { claim: claimId }))) { return; }
    button.disabled = true;
    W.api('POST', '/api/claims/' + encodeURIComponent(claimId) + '/' + action, { token: token(), body: body }).then(function (res) {
      button.disabled = false;
      if (res.ok && res.data) {
        var status = res.data.status;
        var text = action === 'confirm'
          ? W.msg('admin.confirmDone', { claim: claimId, rating: rating })
          : W.msg('admin.actionDone', { claim: claimId, status: function () { return W.statusLabel(status); } });
        notify(text, 'ok');
        setMsg('claims-msg', text, 'ok');
        S.claims = S.claims.map(function (c) { return c.id === claimId ? res.data : c; });
        renderClaims(false);
        var r = $('claim-row-' + claimId);
        if (r) { r.setAttribute('tabindex', '-1'); r.focus(); }
        loadStatsSoon();
        loadCampaignsSoon();
      } else {
        var msg = function () { return W.errorMessage(res); };
        notify(msg, 'error');
        setMsg('claims-msg', msg, 'error');
        loadClaims();
      }
    });
  }

  function downloadCsv() {
    var cid = S.selected;
    if (!cid) { setMsg('claims-msg', W.msg('admin.chooseCampaign'), 'error'); $('claims-campaign').focus(); return; }
    if (needToken('claims-msg')) { return; }
    W.api('GET', '/api/campaigns/' + encodeURIComponent(cid) + '/claims?format=csv', { token: token(), blob: true }).then(function (res) {
      if (!res.ok || !res.blob) {
        var msg = function () { return W.errorMessage(res); };
        setMsg('claims-msg', msg, 'error');
        notify(msg, 'error');
        return;
      }
      if (S.csvUrl) { URL.revokeObjectURL(S.csvUrl); }
      S.csvUrl = URL.createObjectURL(res.blob);
      var name = 'wish-claims-' + cid + '.csv';
      var link = $('csv-link');
      link.href = S.csvUrl;
      link.setAttribute('download', name);
      link.setAttribute('data-size', String(res.blob.size));
      link.textContent = t('admin.csvReady', { name: name });
      link.hidden = false;
      link.click();
    });
  }

  // ------------------------------------------------------------------ live events

  function connectEvents() {
    if (!window.EventSource) { return; }
    var es = new EventSource('/api/events');
    var handler = function (e) {
      var d = null;
      try { d = JSON.parse(e.data); } catch (err) { return; }
      if (d && d.campaignId === S.selected) { loadClaimsSoon(); }
      loadStatsSoon();
      loadCampaignsSoon();
    };
    ['claimed', 'released', 'sold_out', 'fulfilled', 'confirmed', 'campaign'].forEach(function (type) { es.addEventListener(type, handler); });
    es.addEventListener('draw', function (e) {
      handler(e);
      var d = null;
      try { d = JSON.parse(e.data); } catch (err) { return; }
      if (d && d.campaignId === S.selected) { loadDrawSoon(); }
    });
    es.addEventListener('reset', function () { loadCampaigns(); loadClaims(); loadStats(); });
    es.onerror = function () {
      if (es.readyState === EventSource.CLOSED) { setTimeout(connectEvents, 3000); }
    };
  }

  // ------------------------------------------------------------------ start

  function start() {
    W.initLangSwitch();
    AO.init({ token: token, notify: notify });
    AO.onChange(function () {
      renderCampaigns();
      if (S.selected && !visibleCampaigns().some(function (c) { return c.id === S.selected; })) { selectCampaign('', false); }
    });
    W.onLangChange(function () {
      renumberRows();
      renderCampaigns();
      var c = S.campaigns.filter(function (x) { return x.id === S.selected; })[0];
      $('claims-title').textContent = c ? t('admin.claimsTitleOf', { title: c.title }) : t('admin.claimsTitle');
      renderClaims(true);
      renderDraw();
      if (lastStats) { renderStats($('stats-all'), lastStats); }
      if (lastCampaignStats && S.selected) { renderStats($('stats-campaign'), lastCampaignStats, 'campaigns'); }
      if (!$('csv-link').hidden) { $('csv-link').textContent = t('admin.csvReady', { name: $('csv-link').getAttribute('download') }); }
    });
    $('admin-token-form').addEventListener('submit', saveToken);
    $('admin-token-forget').addEventListener('click', forgetToken);
    $('stats-refresh').addEventListener('click', loadStats);
    $('campaigns-refresh').addEventListener('click', loadCampaigns);
    $('campaign-form').addEventListener('submit', submitForm);
    $('add-wish').addEventListener('click', function () { addWishRow(true); });
    $('wish-rows').addEventListener('click', function (e) {
      var btn = e.target.closest('[data-action=remove-wish]');
      if (!btn || btn.disabled) { return; }
      var row = btn.closest('.wish-row');
      var next = row.nextElementSibling || row.previousElementSibling;
      row.parentNode.removeChild(row);
      renumberRows();
      if (next) { next.querySelector('[data-key=title]').focus(); }
    });
    $('json-file').addEventListener('change', readJsonFile);
    $('json-example').addEventListener('click', function () { $('json-text').value = example(); $('json-text').focus(); });
    $('json-publish').addEventListener('click', publishJson);
    $('campaign-rows').addEventListener('click', function (e) {
      var btn = e.target.closest('[data-action=watch]');
      if (btn) { selectCampaign(btn.getAttribute('data-campaign-id'), true); }
    });
    $('claims-campaign').addEventListener('change', function () { selectCampaign($('claims-campaign').value, false); });
    $('claims-status').addEventListener('change', function () { renderClaims(false); });
    $('csv-download').addEventListener('click', downloadCsv);
    $('claim-rows').addEventListener('click', function (e) {
      var btn = e.target.closest('button[data-action]');
      if (btn && !btn.disabled) { claimAction(btn.getAttribute('data-action'), btn.getAttribute('data-claim-id'), btn); }
    });

    addWishRow(false);
    if (token()) { $('admin-token').value = token(); checkToken(); }
    loadStats();
    loadCampaigns().then(function () { document.body.setAttribute('data-ready', 'true'); });
    connectEvents();
    setInterval(function () { if (!document.hidden) { loadStats(); } }, 10000);
  }

  start();
})();
