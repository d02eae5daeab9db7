/*
 * The public wish wall: campaigns and their wishes, filters, a countdown to each campaign's
 * opening, the claim button, live updates from the event stream and the user's own claims.
 */
(function () {
  'use strict';

  var W = window.Wish;
  var t = W.t;
  var el = W.el;

  W.addTexts({
    zh: {
      'wall.pageTitle': '微心愿墙 · 认领心愿',
      'wall.title': '微心愿墙',
      'wall.tagline': '认领一个心愿,帮邻里圆一个梦',
      'wall.toolsLabel': '语言与链接',
      'wall.statDreams': '个心愿已圆梦',
      'wall.statRemaining': '份心愿待认领',
      'wall.statSatisfaction': '受助人满意度',
      'wall.liveConnecting': '正在连接实时更新…',
      'wall.liveOn': '实时更新中',
      'wall.liveLost': '连接中断,正在重连…',
      'wall.accountTitle': '登录',
      'wall.signedInAs': '已登录:',
      'wall.unknownUser': '(无法识别的令牌)',
      'wall.signOut': '退出登录',
      'wall.tokenLabel': '登录码',
      'wall.tokenPlaceholder': '粘贴登录码',
      'wall.signIn': '登录',
      'wall.tokenInfo': '登录码是什么?',
      'wall.tokenHelp': '登录码由你所在单位的登录服务提供,也可以直接打开单位发给你的登录链接。登录码只保存在当前浏览器标签页里,关闭标签页就会清除。',
      'wall.tokenEmpty': '请先粘贴登录码。',
      'wall.tokenMalformed': '这看起来不是完整的登录码,请重新复制粘贴。',
      'wall.tokenExpired': '登录码已经过期,请重新获取。',
      'wall.tokenRejected': '登录码未被接受:',
      'wall.signedInOk': '已登录为 {user}。',
      'wall.signedOut': '已退出登录。',
      'wall.needSignIn': '请先登录,再认领心愿。',
      'wall.wallHeading': '心愿列表',
      'wall.filtersLabel': '筛选心愿',
      'wall.filtersToggle': '筛选',
      'wall.filterCampaign': '场次',
      'wall.filterTown': '镇(街道)',
      'wall.filterCommunity': '社区(村)',
      'wall.filterCategory': '类别',
      'wall.filterLocation': '地点',
      'wall.filterLocationPlaceholder': '输入地点关键词',
      'wall.filterAvailable': '只看可认领',
      'wall.all': '全部',
      'wall.count': '共 {n} 个心愿',
      'wall.countOf': '显示 {n} 个心愿(共 {total} 个)',
      'wall.empty': '暂时没有符合条件的心愿。',
      'wall.noCampaigns': '目前还没有发布的心愿,敬请期待。',
      'wall.loadFailed': '心愿加载失败:{reason} 稍后将自动重试。',
      'wall.opensAt': '开抢:{time}',
      'wall.perUser': '每人限认领 {n} 个',
      'wall.withinHours': '认领后 {n} 小时内送达',
      'wall.withinDays': '认领后 {n} 天内送达',
      'wall.campaignLeft': '剩余 {left} / {units} 份',
      'wall.opensIn': '距开抢 {time}',
      'wall.days': '{n} 天 ',
      'wall.openNow': '已开抢 · 先到先得',
      'wall.campaignDone': '本场心愿已全部被认领',
      'wall.location': '地点',
      'wall.beneficiary': '受助人',
      'wall.unitsLeft': '剩 {left} / 共 {total} 份',
      'wall.unitsNone': '共 {total} 份 · 已认领完',
      'wall.claim': '认领',
      'wall.claiming': '认领中…',
      'wall.soldOut': '已认领完',
      'wall.mine': '✓ 我已认领',
      'wall.holdOne': '你已认领一份',
      'wall.claimed201': '认领成功!请在 {deadline} 前把「{title}」送到受助人手中。',
      'wall.claimed200': '「{title}」你已经认领过了,这是同一条认领。',
      'wall.annSoldOut': '「{title}」已被认领完。',
      'wall.annSoldOutMany': '{n} 个心愿刚刚被认领完。',
      'wall.annReleased': '「{title}」有名额回来了,可以认领。',
      'wall.nowOpen': '「{title}」开抢了!',
      'wall.newCampaign': '新发布:「{title}」。',
      'wall.myClaims': '我的认领',
      'wall.myClaimsSignedOut': '登录后可以查看和管理你认领的心愿。',
      'wall.myClaimsEmpty': '你还没有认领心愿。',
      'wall.claimedAt': '认领于 {time}',
      'wall.deliverBy': '请在 {time} 前送达',
      'wall.fulfilledAt': '送达于 {time}',
      'wall.rating': '受助人评分:{stars}',
      'wall.fulfil': '标记已送达',
      'wall.cancel': '放弃认领',
      'wall.cancelConfirm': '确定放弃认领「{title}」吗?名额会立即回到心愿墙。',
      'wall.fulfilDone': '已标记送达,谢谢你!组织者会回访受助人确认。',
      'wall.cancelDone': '已放弃认领「{title}」,名额已回到心愿墙。',
      'wall.footer': '每个心愿的每一份只会属于一位认领人。认领后请在期限内送达;送达后,组织者会回访受助人并记录满意度。',
      'wall.fairBefore': '公平开抢:开抢后 {n} 秒内的每次认领都是平等的抽签资格,{time} 抽签',
      'wall.fairDrawn': '公平开抢:已抽签',
      'wall.fairDrawnAt': '公平开抢:已于 {time} 抽签',
      'wall.fairCommitment': '承诺值 {hash}…',
      'wall.drawRecord': '抽签记录',
      'wall.fairWindowLeft': '平等报名中 · {time} 后抽签',
      'wall.drawing': '正在抽签…',
      'wall.enter': '参加抽签',
      'wall.entered': '已参加抽签',
      'wall.entered202': '你已参加「{title}」的抽签,{time} 公布结果。',
      'wall.entryPending': '已参加抽签 —— {time} 公布结果',
      'wall.entryWon': '抽中了 —— 认领编号 {claim}',
      'wall.entryLost': '这次没有抽中',
      'wall.entryLost.sold_out': '这次没有抽中(已被抽完)',
      'wall.entryLost.limit_reached': '这次没有抽中(已达每人上限)',
      'wall.entryLost.holds_wish': '这次没有抽中(你已认领过这个心愿)',
      'wall.wonNotice': '抽中了「{title}」!认领编号 {claim},请在期限内送达。',
      'wall.lostNotice': '「{title}」这次没有抽中。'
    },
    en: {
      'wall.pageTitle': 'Wish wall · Micro-wishes',
      'wall.title': 'Micro-wish wall',
      'wall.tagline': 'Claim a wish and make a neighbour’s wish come true',
      'wall.toolsLabel': 'Language and links',
      'wall.statDreams': 'wishes come true',
      'wall.statRemaining': 'units waiting',
      'wall.statSatisfaction': 'beneficiary satisfaction',
      'wall.liveConnecting': 'Connecting to live updates…',
      'wall.liveOn': 'Live updates on',
      'wall.liveLost': 'Connection lost, reconnecting…',
      'wall.accountTitle': 'Sign in',
      'wall.signedInAs': 'Signed in as',
      'wall.unknownUser': '(unreadable token)',
      'wall.signOut': 'Sign out',
      'wall.tokenLabel': 'Sign-in code',
      'wall.tokenPlaceholder': 'Paste your sign-in code',
      'wall.signIn': 'Sign in',
      'wall.tokenInfo': 'What is a sign-in code?',
      'wall.tokenHelp': 'Your organisation’s sign-in service gives you the code, or a link that signs you in directly. The code stays only in this browser tab and is forgotten when you close it.',
      'wall.tokenEmpty': 'Paste your sign-in code first.',
      'wall.tokenMalformed': 'This does not look like a complete sign-in code. Please copy and paste it again.',
      'wall.tokenExpired': 'Your sign-in code has expired; please get a new one.',
      'wall.tokenRejected': 'Sign-in code not accepted:',
      'wall.signedInOk': 'Signed in as {user}.',
      'wall.signedOut': 'Signed out.',
      'wall.needSignIn': 'Please sign in before claiming a wish.',
      'wall.wallHeading': 'Wishes',
      'wall.filtersLabel': 'Filter wishes',
      'wall.filtersToggle': 'Filters',
      'wall.filterCampaign': 'Campaign',
      'wall.filterTown': 'Town',
      'wall.filterCommunity': 'Community',
      'wall.filterCategory': 'Category',
      'wall.filterLocation': 'Location',
      'wall.filterLocationPlaceholder': 'Type part of a place name',
      'wall.filterAvailable': 'Only wishes still available',
      'wall.all': 'All',
      'wall.count': '{n} wishes',
      'wall.count.one': '1 wish',
      'wall.countOf': 'Showing {n} of {total} wishes',
      'wall.countOf.one': 'Showing 1 of {total} wishes',
      'wall.empty': 'No wishes match these filters right now.',
      'wall.noCampaigns': 'No wishes have been published yet. Please check back soon.',
      'wall.loadFailed': 'Could not load the wishes: {reason} Retrying shortly.',
      'wall.opensAt': 'Opens {time}',
      'wall.perUser': 'up to {n} per person',
      'wall.withinHours': 'deliver within {n} hours',
      'wall.withinDays': 'deliver within {n} days',
      'wall.campaignLeft': '{left} of {units} units left',
      'wall.opensIn': 'Opens in {time}',
      'wall.days': '{n} d ',
      'wall.openNow': 'Open now: first come, first served',
      'wall.campaignDone': 'Every wish in this campaign has been claimed',
      'wall.location': 'Location',
      'wall.beneficiary': 'For',
      'wall.unitsLeft': '{left} of {total} left',
      'wall.unitsNone': 'All {total} claimed',
      'wall.claim': 'Claim',
      'wall.claiming': 'Claiming…',
      'wall.soldOut': 'Sold out',
      'wall.mine': '✓ Yours',
      'wall.holdOne': 'You hold one',
      'wall.claimed201': 'Claimed! Please deliver "{title}" by {deadline}.',
      'wall.claimed200': '"{title}" is already yours (the same claim as before).',
      'wall.annSoldOut': '"{title}" is now fully claimed.',
      'wall.annSoldOutMany': '{n} wishes were just fully claimed.',
      'wall.annReleased': '"{title}" is available again.',
      'wall.nowOpen': '"{title}" is open now!',
      'wall.newCampaign': 'Just published: "{title}".',
      'wall.myClaims': 'My claims',
      'wall.myClaimsSignedOut': 'Sign in to see and manage the wishes you claimed.',
      'wall.myClaimsEmpty': 'You have not claimed any wish yet.',
      'wall.claimedAt': 'Claimed {time}',
      'wall.deliverBy': 'Deliver by {time}',
      'wall.fulfilledAt': 'Delivered {time}',
      'wall.rating': 'Beneficiary’s rating: {stars}',
      'wall.fulfil': 'Mark delivered',
      'wall.cancel': 'Give back',
      'wall.cancelConfirm': 'Give back "{title}"? The unit returns to the wall at once.',
      'wall.fulfilDone': 'Marked as delivered. Thank you! The organisers will check with the beneficiary.',
      'wall.cancelDone': 'You gave back "{title}"; it is on the wall again.',
      'wall.footer': 'Each unit of a wish goes to exactly one person. Please deliver within the time limit; afterwards the organisers check with the beneficiary and record their satisfaction.',
      'wall.fairBefore': 'Fair start: every claim in the first {n} s is an equal entry; draw at {time}',
      'wall.fairDrawn': 'Fair start: drawn',
      'wall.fairDrawnAt': 'Fair start: drawn at {time}',
      'wall.fairCommitment': 'commitment {hash}…',
      'wall.drawRecord': 'draw record',
      'wall.fairWindowLeft': 'Equal entries · draw in {time}',
      'wall.drawing': 'Drawing…',
      'wall.enter': 'Enter the draw',
      'wall.entered': 'Entered',
      'wall.entered202': 'You are in the draw for "{title}". The result comes at {time}.',
      'wall.entryPending': 'In the draw — result at {time}',
      'wall.entryWon': 'You won — claim {claim}',
      'wall.entryLost': 'Not drawn this time',
      'wall.entryLost.sold_out': 'Not drawn this time (sold out)',
      'wall.entryLost.limit_reached': 'Not drawn this time (limit reached)',
      'wall.entryLost.holds_wish': 'Not drawn this time (you already hold it)',
      'wall.wonNotice': 'You won "{title}" in the draw: claim {claim}. Please deliver it in time.',
      'wall.lostNotice': '"{title}": not drawn this time.'
    }
  });

  var EVENT_TYPES = ['claimed', 'released', 'sold_out', 'fulfilled', 'confirmed'];
  var ACTIVE = { claimed: true, fulfilled: true, confirmed: true };
  var tokens = W.tokenStore('wish.userToken');

  var S = {
    campaigns: new Map(),   // id -> campaign summary + opensAtMs, isOpen, wishIds
    wishes: new Map(),      // id -> wish (+ lastEventAt)
    myClaims: [],
    held: new Set(),        // wish ids with an active claim of mine
    claiming: new Set(),    // wish ids with a claim request in flight
    skew: 0,                // server clock minus this clock, in ms (corrected by not_open answers)
    loaded: false,
    recheck: new Set(),     // wishes whose snapshot may be older than an event already applied
    tickTimer: null,
    entries: new Map(),     // wish id -> my fair-start entry for it (GET /api/me/entries, or a 202)
    entryTimer: null,       // the fallback check for draw results, should the draw event be missed
    entryBackoff: 0,
    tree: null,             // the organiser tree (WishOrgs.Tree) for the town and community filters
    orgWishes: null         // {org, ids: Set of wish ids}: GET /api/wishes?org= for the chosen town or community
  };

  var $ = function (id) { return document.getElementById(id); };
  var notify = W.notifier($('notice'));

  function serverNow() { return Date.now() + S.skew; }

  // ------------------------------------------------------------------ token and account

  function readFragmentToken() {
    var m = /(?:^#|&)token=([^&]+)/.exec(location.hash || '');
    if (!m) { return; }
    var tok = '';
    try { tok = decodeURIComponent(m[1]).trim(); } catch (e) { tok = m[1]; }
    if (tok) { tokens.set(tok); }
    // Keep the token out of the address bar, the history and bookmarks.
    if (history.replaceState) { history.replaceState(null, '', location.pathname + location.search); }
  }

  function accountMessage(text, kind) {
    var node = $('account-msg');
    W.show(node, text || '');
    node.className = 'field-msg' + (kind ? ' field-msg-' + kind : '');
  }

  function updateAccount() {
    var tok = tokens.get();
    var payload = tok ? W.jwtPayload(tok) : null;
    var signedIn = !!tok;
    $('signed-in').hidden = !signedIn;
    $('token-form').hidden = signedIn;
    $('who').textContent = payload && payload.sub ? payload.sub : t('wall.unknownUser');
    document.body.setAttribute('data-signed-in', signedIn ? 'true' : 'false');
    $('my-claims-hint').hidden = signedIn;
    if (signedIn && payload && typeof payload.exp === 'number' && payload.exp * 1000 < Date.now()) {
      accountMessage(W.msg('wall.tokenExpired'), 'error');
    }
  }

  function signIn(ev) {
    ev.preventDefault();
    var input = $('token-input');
    var tok = input.value.trim().replace(/^Bearer\s+/i, '');
    input.removeAttribute('aria-invalid');
    if (!tok) {
      input.setAttribute('aria-invalid', 'true');
      accountMessage(W.msg('wall.tokenEmpty'), 'error');
      input.focus();
      return;
    }
    if (tok.split('.').length !== 3) {
      input.setAttribute('aria-invalid', 'true');
      accountMessage(W.msg('wall.tokenMalformed'), 'error');
      input.focus();
      return;
    }
    tokens.set(tok);
    input.value = '';
    var payload = W.jwtPayload(tok);
    // The bar now says who is signed in; screen readers hear it once.
    accountMessage('');
    announce(t('wall.signedInOk', { user: payload && payload.sub ? payload.sub : '?' }));
    updateAccount();
    refreshMyClaims();
    refreshEntries();
    $('sign-out').focus();
  }

  function signOut() {
    tokens.clear();
    S.myClaims = [];
    var before = S.held;
    S.held = new Set();
    before.forEach(syncCardById);
    var entered = S.entries;
    S.entries = new Map();
    entered.forEach(function (e, wid) { syncCardById(wid); });
    renderMyClaims();
    updateAccount();
    accountMessage(W.msg('wall.signedOut'), 'ok');
    $('token-input').focus();
  }

  // ------------------------------------------------------------------ loading the wall

  /** The largest page GET /api/wishes gives: the fewest round trips for a wall of many wishes. */
  var WISH_PAGE = 1000;

  /**
   * Every wish GET /api/wishes lists (with the optional query, e.g. 'campaign=c-1'), following
   * nextCursor one page after another. Resolves like W.api: the first failed answer, or an ok
   * answer whose data.wishes holds all the pages.
   */
  function allWishes(query) {
    var wishes = [];
    function from(cursor) {
      var path = '/api/wishes?limit=' + WISH_PAGE + (query ? '&' + query : '')
        + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
      return W.api('GET', path).then(function (res) {
        if (!res.ok || !res.data) { return res; }
        Array.prototype.push.apply(wishes, res.data.wishes);
        if (res.data.nextCursor) { return from(res.data.nextCursor); }
        return { status: res.status, ok: true, data: { wishes: wishes }, headers: res.headers };
      });
    }
    return from(null);
  }

  function loadAll() {
    var requestedAt = Date.now();
    return Promise.all([W.api('GET', '/api/campaigns'), allWishes()]).then(function (r) {
      var cr = r[0];
      var wr = r[1];
      if (!cr.ok || !wr.ok || !cr.data || !wr.data) {
        var bad = !cr.ok ? cr : wr;
        if (!S.loaded) {
          var box = $('campaigns');
          box.textContent = '';
          var failed = el('p', { class: 'load-error', role: 'alert' });
          W.show(failed, W.msg('wall.loadFailed', { reason: function () { return W.errorMessage(bad); } }));
          box.appendChild(failed);
        }
        setTimeout(loadAll, 3000);
        return;
      }
      var seen = new Set();
      var campaigns = new Map();
      // A campaign that arrived by event after this snapshot was requested may be missing from it.
      S.campaigns.forEach(function (c, id) {
        if (c.addedAt && c.addedAt >= requestedAt) {
          campaigns.set(id, c);
          c.wishIds.forEach(function (wid) { seen.add(wid); });
        }
      });
      cr.data.campaigns.forEach(function (c) {
        var old = S.campaigns.get(c.id);
        prepareCampaign(c);
        c.isOpen = old ? old.isOpen : null;
        c.phase = old ? old.phase : null;
        // The listing may have been read just before a draw event already applied.
        if (old && old.fairStart && old.fairStart.drawn && c.fairStart && !c.fairStart.drawn) { c.fairStart = old.fairStart; }
        c.wishIds = [];
        campaigns.set(c.id, c);
      });
      wr.data.wishes.forEach(function (w) {
        seen.add(w.id);
        var c = campaigns.get(w.campaignId);
        if (c) { c.wishIds.push(w.id); }
        mergeWish(w, requestedAt);
      });
      S.wishes.forEach(function (w, id) { if (!seen.has(id)) { S.wishes.delete(id); } });
      S.campaigns = campaigns;
      S.loaded = true;
      renderWall();
      tick();
      scheduleRecheck();
      document.body.setAttribute('data-ready', 'true');
    });
  }

  /**
   * Takes a wish from a snapshot, unless an event about it arrived after the snapshot was
   * requested: then the event's value may be the newer one, so it stays and the wish is read again.
   */
  function mergeWish(w, requestedAt) {
    var cur = S.wishes.get(w.id);
    if (cur && cur.lastEventAt && cur.lastEventAt >= requestedAt) {
      w.remaining = cur.remaining;
      w.lastEventAt = cur.lastEventAt;
      S.recheck.add(w.id);
    } else if (cur) {
      w.lastEventAt = cur.lastEventAt;
    }
    S.wishes.set(w.id, w);
  }

  var scheduleRecheck = W.debounce(function () {
    if (!S.recheck.size) { return; }
    var byCampaign = new Set();
    S.recheck.forEach(function (id) {
      var w = S.wishes.get(id);
      if (w) { byCampaign.add(w.campaignId); }
    });
    S.recheck.clear();
    var requestedAt = Date.now();
    byCampaign.forEach(function (cid) {
      allWishes('campaign=' + encodeURIComponent(cid)).then(function (res) {
        if (!res.ok || !res.data) { return; }
        res.data.wishes.forEach(function (w) {
          if (!S.wishes.has(w.id)) { return; }
          mergeWish(w, requestedAt);
          syncCardById(w.id);
        });
        syncCampaignById(cid);
        scheduleRecheck();
      });
    });
  }, 1000);

  var scheduleReload = W.debounce(loadAll, 800);

  /** Parses the campaign's instants once: its opening and, for a fair start, its draw. */
  function prepareCampaign(c) {
    c.opensAtMs = Date.parse(c.opensAt);
    c.drawAtMs = c.fairStart ? Date.parse(c.fairStart.drawAt) : NaN;
  }

  /** A fair-start campaign whose draw has not been announced yet. */
  function undrawn(c) {
    return !!(c && c.fairStart && !c.fairStart.drawn);
  }

  // ------------------------------------------------------------------ rendering

  function campaignRemaining(c) {
    var left = 0;
    var units = 0;
    c.wishIds.forEach(function (id) {
      var w = S.wishes.get(id);
      if (w) { left += Math.max(0, w.remaining); units += w.quantity; }
    });
    return { left: left, units: units };
  }

  function sortedCampaigns() {
    var now = serverNow();
    var list = Array.from(S.campaigns.values());
    var active = function (c) { return c.opensAtMs > now || campaignRemaining(c).left > 0; };
    list.sort(function (a, b) {
      var aa = active(a);
      var ba = active(b);
      if (aa !== ba) { return aa ? -1 : 1; }
      return aa ? a.opensAtMs - b.opensAtMs : b.opensAtMs - a.opensAtMs;
    });
    return list;
  }

  function renderWall() {
    var box = $('campaigns');
    box.removeAttribute('aria-busy');
    Array.prototype.slice.call(box.children).forEach(function (child) {
      if (!child.matches('section.campaign') || !S.campaigns.has(child.getAttribute('data-campaign-id'))) {
        box.removeChild(child);
      }
    });
    var list = sortedCampaigns();
    list.forEach(function (c, i) {
      var section = $('campaign-' + c.id) || createSection(c);
      if (box.children[i] !== section) { box.insertBefore(section, box.children[i] || null); }
      var grid = section.querySelector('.wish-grid');
      Array.prototype.slice.call(grid.children).forEach(function (card) {
        if (!S.wishes.has(card.getAttribute('data-wish-id'))) { grid.removeChild(card); }
      });
      c.wishIds.forEach(function (wid, j) {
        var w = S.wishes.get(wid);
        var card = $('wish-' + wid) || createCard(w);
        if (grid.children[j] !== card) { grid.insertBefore(card, grid.children[j] || null); }
        syncCard(card, w);
      });
      syncSection(section, c);
    });
    if (!list.length) {
      box.appendChild(el('p', { class: 'empty', 'data-i18n': 'wall.noCampaigns', text: t('wall.noCampaigns') }));
    }
    fillFilterOptions();
    applyFilters(true);
  }

  function createSection(c) {
    var id = 'campaign-' + c.id;
    return el('section', { class: 'campaign', id: id, 'data-campaign-id': c.id, 'aria-labelledby': id + '-title' },
      el('header', { class: 'campaign-head' },
        el('div', { class: 'campaign-titles' },
          el('h3', { class: 'campaign-title', id: id + '-title', text: c.title }),
          el('p', { class: 'campaign-meta', 'data-role': 'meta' }),
          el('p', { class: 'campaign-fair', 'data-role': 'fair', hidden: true })),
        el('div', { class: 'campaign-status' },
          el('p', { class: 'countdown', id: 'countdown-' + c.id, role: 'timer', 'aria-atomic': 'true', 'data-role': 'countdown', 'data-campaign-id': c.id }),
          el('p', { class: 'campaign-left', 'data-role': 'left' }))),
      el('div', { class: 'wish-grid' }));
  }

  function syncSection(section, c) {
    var rem = campaignRemaining(c);
    var hours = c.fulfilWithinHours;
    var within = hours % 24 === 0 ? t('wall.withinDays', { n: hours / 24 }) : t('wall.withinHours', { n: hours });
    section.querySelector('[data-role=meta]').textContent =
      [t('wall.opensAt', { time: W.formatTime(c.opensAt, true) }), t('wall.perUser', { n: c.perUserLimit }), within].join(' · ');
    section.querySelector('[data-role=left]').textContent = t('wall.campaignLeft', { left: rem.left, units: rem.units });
    section.setAttribute('data-remaining', String(rem.left));
    syncFair(section.querySelector('[data-role=fair]'), c);
    syncCountdown(c);
  }

  /**
   * A fair-start campaign's rules in one line: the window and the draw's time, the first digits of
   * the seed's commitment (published before the opening, so the draw cannot be chosen later) and,
   * once drawn, a link to the public draw record anyone can recompute.
   */
  function syncFair(node, c) {
    var f = c.fairStart;
    node.hidden = !f;
    if (!f) { return; }
    node.textContent = '';
    node.setAttribute('data-drawn', f.drawn ? 'true' : 'false');
    var text = !f.drawn ? t('wall.fairBefore', { n: f.windowSeconds, time: W.formatClock(f.drawAt) })
      : f.drawnAt ? t('wall.fairDrawnAt', { time: W.formatClock(f.drawnAt) }) : t('wall.fairDrawn');
    node.appendChild(el('span', { 'data-role': 'fair-text', text: text }));
    node.appendChild(document.createTextNode(' · '));
    node.appendChild(el('span', { class: 'commitment', 'data-role': 'commitment', title: f.seedCommitment,
      text: t('wall.fairCommitment', { hash: String(f.seedCommitment || '').slice(0, 12) }) }));
    if (f.drawn) {
      node.appendChild(document.createTextNode(' · '));
      node.appendChild(el('a', { href: '/api/campaigns/' + encodeURIComponent(c.id) + '/draw', 'data-role': 'draw-record',
        type: 'application/json', text: t('wall.drawRecord') }));
    }
  }

  function syncCampaignById(cid) {
    var c = S.campaigns.get(cid);
    var section = $('campaign-' + cid);
    if (c && section) { syncSection(section, c); }
  }

  function pad(n) { return n < 10 ? '0' + n : String(n); }

  function formatLeft(ms) {
    var total = Math.ceil(ms / 1000);
    var d = Math.floor(total / 86400);
    var h = Math.floor((total % 86400) / 3600);
    var m = Math.floor((total % 3600) / 60);
    var s = total % 60;
    return (d ? t('wall.days', { n: d }) : '') + pad(h) + ':' + pad(m) + ':' + pad(s);
  }

  function syncCountdown(c) {
    var node = $('countdown-' + c.id);
    var section = $('campaign-' + c.id);
    if (!node || !section) { return; }
    var now = serverNow();
    var left = c.opensAtMs - now;
    var open = left <= 0;
    var phase = phaseOf(c, now);
    section.setAttribute('data-open', open ? 'true' : 'false');
    node.setAttribute('data-open', open ? 'true' : 'false');
    node.setAttribute('data-phase', phase);
    node.setAttribute('data-seconds-left', String(open ? 0 : Math.ceil(left / 1000)));
    if (phase === 'upcoming') {
      node.textContent = t('wall.opensIn', { time: formatLeft(left) });
    } else if (phase === 'window') {
      node.textContent = t('wall.fairWindowLeft', { time: formatLeft(c.drawAtMs - now) });
    } else if (phase === 'drawing') {
      node.textContent = t('wall.drawing');
    } else {
      node.textContent = campaignRemaining(c).left > 0 ? t('wall.openNow') : t('wall.campaignDone');
    }
  }

  /**
   * upcoming (before opensAt), window (a fair start's equal entries), drawing (its window closed,
   * the draw not announced yet) or open (first come, first served).
   */
  function phaseOf(c, now) {
    if (c.opensAtMs > now) { return 'upcoming'; }
    if (!undrawn(c)) { return 'open'; }
    return c.drawAtMs > now ? 'window' : 'drawing';
  }

  /** Advances every countdown; wakes up exactly when the next displayed second (or opening) is due. */
  function tick() {
    var now = serverNow();
    var next = 1000;
    S.campaigns.forEach(function (c) {
      var left = c.opensAtMs - now;
      var open = left <= 0;
      var was = c.isOpen;
      var phase = phaseOf(c, now);
      var phaseWas = c.phase;
      c.isOpen = open;
      c.phase = phase;
      syncCountdown(c);
      if (was !== open || phaseWas !== phase) {
        c.wishIds.forEach(syncCardById);
        if (open && was === false) { announce(t('wall.nowOpen', { title: c.title })); }
      }
      if (!open) { next = Math.min(next, left % 1000 || 1000); }
      if (phase === 'window') { next = Math.min(next, (c.drawAtMs - now) % 1000 || 1000); }
    });
    clearTimeout(S.tickTimer);
    S.tickTimer = setTimeout(tick, Math.max(next, 10));
  }

  function createCard(w) {
    var id = 'wish-' + w.id;
    var meta = el('dl', { class: 'wish-meta' });
    if (w.location) {
      meta.appendChild(el('div', null, el('dt', { 'data-i18n': 'wall.location' }), el('dd', { text: w.location })));
    }
    if (w.beneficiary) {
      meta.appendChild(el('div', null, el('dt', { 'data-i18n': 'wall.beneficiary' }), el('dd', { text: w.beneficiary })));
    }
    var card = el('article', { class: 'wish', id: id, 'data-wish-id': w.id, 'data-campaign-id': w.campaignId,
        'data-category': (w.category || '').toLowerCase(), 'aria-labelledby': id + '-title' },
      el('div', { class: 'wish-top' },
        w.category ? el('span', { class: 'chip', 'data-role': 'category' }) : el('span'),
        el('span', { class: 'units', id: id + '-units', 'data-role': 'units' })),
      el('h4', { class: 'wish-title', id: id + '-title', text: w.title }),
      w.description ? el('p', { class: 'wish-desc', text: w.description }) : null,
      meta.children.length ? meta : null,
      el('div', { class: 'wish-foot' },
        el('span', { class: 'badge-mine', 'data-role': 'mine', 'data-i18n': 'wall.mine', hidden: true }),
        el('button', { type: 'button', class: 'btn btn-primary btn-claim', id: 'claim-' + w.id, 'data-action': 'claim',
          'data-wish-id': w.id, 'aria-describedby': id + '-title ' + id + '-units' })),
      el('p', { class: 'wish-entry', id: id + '-entry', 'data-role': 'entry', hidden: true }),
      el('p', { class: 'wish-msg', 'data-role': 'msg', hidden: true }));
    W.apply(card);
    return card;
  }

  function syncCardById(wid) {
    var card = $('wish-' + wid);
    var w = S.wishes.get(wid);
    if (card && w) { syncCard(card, w); }
  }

  function syncCard(card, w) {
    var c = S.campaigns.get(w.campaignId);
    var open = c ? c.opensAtMs <= serverNow() : Date.parse(w.opensAt) <= serverNow();
    var soldOut = w.remaining <= 0;
    var mine = S.held.has(w.id);
    var busy = S.claiming.has(w.id);
    var entry = S.entries.get(w.id);
    var entered = !!entry && entry.outcome === 'pending';
    var inWindow = !!c && phaseOf(c, serverNow()) === 'window';
    var state = soldOut ? 'sold-out' : open ? 'open' : 'upcoming';
    card.setAttribute('data-state', state);
    card.setAttribute('data-remaining', String(w.remaining));
    card.classList.toggle('sold-out', soldOut);
    card.classList.toggle('upcoming', state === 'upcoming');
    card.classList.toggle('mine', mine);
    card.classList.toggle('entered', entered);
    card.setAttribute('data-entry', entry ? entry.outcome : '');
    syncEntryLine(card, entry, mine);
    var cat = card.querySelector('[data-role=category]');
    if (cat) { cat.textContent = W.categoryLabel(w.category); }
    card.querySelector('[data-role=units]').textContent = soldOut
      ? t('wall.unitsNone', { total: w.quantity })
      : t('wall.unitsLeft', { left: w.remaining, total: w.quantity });
    card.querySelector('[data-role=mine]').hidden = !mine;
    var btn = card.querySelector('[data-action=claim]');
    // One active claim per wish and person: a held wish cannot be claimed again, and says why.
    // An entry waits for its draw: claiming again would only repeat it.
    btn.disabled = soldOut || !open || busy || mine || entered;
    btn.setAttribute('aria-busy', busy ? 'true' : 'false');
    btn.textContent = busy ? t('wall.claiming') : entered ? t('wall.entered') : soldOut ? t('wall.soldOut')
      : mine ? t('wall.holdOne') : inWindow ? t('wall.enter') : t('wall.claim');
    var describedBy = card.id + '-title ' + card.id + '-units' + (state === 'upcoming' ? ' countdown-' + w.campaignId : '')
      + (entry ? ' ' + card.id + '-entry' : '');
    btn.setAttribute('aria-describedby', describedBy);
  }

  /**
   * What became of my fair-start entry for this wish: waiting for the draw, won (with the claim it
   * became, until that claim is given back or expires), or not drawn and why (hidden once the wish
   * is mine after all, claimed first-come after the draw).
   */
  function syncEntryLine(card, entry, mine) {
    var line = card.querySelector('[data-role=entry]');
    var text = '';
    var kind = '';
    if (entry && entry.outcome === 'pending') {
      text = t('wall.entryPending', { time: W.formatClock(entry.drawAt) });
      kind = 'pending';
    } else if (entry && entry.outcome === 'won') {
      var gone = S.myClaims.some(function (cl) { return cl.id === entry.claimId && !ACTIVE[cl.status]; });
      if (!gone) { text = t('wall.entryWon', { claim: entry.claimId }); kind = 'won'; }
    } else if (entry && entry.outcome === 'lost' && !mine) {
      text = W.has('wall.entryLost.' + entry.reason) ? t('wall.entryLost.' + entry.reason) : t('wall.entryLost');
      kind = 'lost';
    }
    line.hidden = !text;
    line.textContent = text;
    line.className = 'wish-entry' + (kind ? ' wish-entry-' + kind : '');
    line.setAttribute('data-outcome', kind);
  }

  function cardMessage(wid, text, kind) {
    var card = $('wish-' + wid);
    if (!card) { return; }
    var p = card.querySelector('[data-role=msg]');
    W.show(p, text || '');
    p.hidden = !text;
    p.className = 'wish-msg' + (kind ? ' wish-msg-' + kind : '');
  }

  // ------------------------------------------------------------------ filters

  function fillFilterOptions() {
    var campSel = $('filter-campaign');
    var catSel = $('filter-category');
    var keepCamp = campSel.value;
    var keepCat = catSel.value;
    var cats = new Map();
    var locs = new Set();
    S.wishes.forEach(function (w) {
      if (w.category) { cats.set(w.category.toLowerCase(), w.category); }
      if (w.location) { locs.add(w.location); }
    });
    campSel.textContent = '';
    campSel.appendChild(el('option', { value: '', text: t('wall.all') }));
    sortedCampaigns().forEach(function (c) { campSel.appendChild(el('option', { value: c.id, text: c.title })); });
    catSel.textContent = '';
    catSel.appendChild(el('option', { value: '', text: t('wall.all') }));
    Array.from(cats.keys()).sort().forEach(function (k) {
      catSel.appendChild(el('option', { value: k, text: W.categoryLabel(cats.get(k)) }));
    });
    campSel.value = S.campaigns.has(keepCamp) ? keepCamp : '';
    catSel.value = cats.has(keepCat) ? keepCat : '';
    var dl = $('location-list');
    dl.textContent = '';
    Array.from(locs).sort().forEach(function (l) { dl.appendChild(el('option', { value: l })); });
  }

  function matches(w, f) {
    // Until the chosen org's wishes are read, its filter shows nothing rather than everything.
    if (f.org && !(S.orgWishes && S.orgWishes.org === f.org && S.orgWishes.ids.has(w.id))) { return false; }
    if (f.campaign && w.campaignId !== f.campaign) { return false; }
    if (f.category && (w.category || '').toLowerCase() !== f.category) { return false; }
    if (f.location && (w.location || '').toLowerCase().indexOf(f.location) < 0) { return false; }
    if (f.available && w.remaining <= 0) { return false; }
    return true;
  }

  function currentFilters() {
    return {
      campaign: $('filter-campaign').value,
      category: $('filter-category').value,
      location: $('filter-location').value.trim().toLowerCase(),
      available: $('filter-available').checked,
      org: $('filter-community').value || $('filter-town').value
    };
  }

  /** Shows the cards that match; announces the count only when the reader changed a filter. */
  function applyFilters(quiet) {
    var f = currentFilters();
    var shown = 0;
    var total = 0;
    S.campaigns.forEach(function (c) {
      var section = $('campaign-' + c.id);
      if (!section) { return; }
      var any = false;
      c.wishIds.forEach(function (wid) {
        var w = S.wishes.get(wid);
        var card = $('wish-' + wid);
        if (!w || !card) { return; }
        total++;
        var ok = matches(w, f);
        card.hidden = !ok;
        if (ok) { shown++; any = true; }
      });
      section.hidden = !any;
    });
    $('wall-empty').hidden = shown > 0 || total === 0;
    var filtered = f.campaign || f.category || f.location || f.available || f.org;
    var active = [f.campaign, f.category, f.location, f.available, f.org].filter(Boolean).length;
    $('filters-active').textContent = active ? '(' + active + ')' : '';
    var text = filtered ? W.tn('wall.countOf', shown, { total: total }) : W.tn('wall.count', total);
    var node = $('result-count');
    if (!quiet || node.textContent !== text) {
      node.textContent = text;
    }
  }

  // ------------------------------------------------------------------ town and community

  /** The towns: the orgs one level below the roots (the district); a tree of roots only offers its roots. */
  function towns() {
    var tree = S.tree;
    var out = [];
    tree.roots.forEach(function (r) { Array.prototype.push.apply(out, tree.children(r.id)); });
    return out.length ? out : tree.roots.slice();
  }

  function fillOrgFilters() {
    var tree = S.tree;
    var show = !!tree && tree.list.length > 0;
    Array.prototype.forEach.call(document.querySelectorAll('.filter-org'), function (n) { n.hidden = !show; });
    if (!show) { return; }
    var town = $('filter-town');
    var keepTown = town.value;
    town.textContent = '';
    town.appendChild(el('option', { value: '', text: t('wall.all') }));
    towns().forEach(function (o) { town.appendChild(el('option', { value: o.id, text: o.name })); });
    town.value = tree.get(keepTown) ? keepTown : '';
    fillCommunities();
  }

  function fillCommunities() {
    var sel = $('filter-community');
    var keep = sel.value;
    var town = $('filter-town').value;
    sel.textContent = '';
    sel.appendChild(el('option', { value: '', text: t('wall.all') }));
    var kids = town ? S.tree.children(town) : [];
    kids.forEach(function (o) { sel.appendChild(el('option', { value: o.id, text: o.name })); });
    sel.disabled = !kids.length;
    sel.value = kids.some(function (o) { return o.id === keep; }) ? keep : '';
  }

  function loadTree() {
    return window.WishOrgs.load().then(function (r) {
      if (!r.res.ok) { return; }
      S.tree = r.tree;
      fillOrgFilters();
    });
  }

  /** Reads the chosen town's or community's wishes (the server knows the subtree), then filters. */
  function loadOrgWishes(quiet) {
    var org = currentFilters().org;
    if (!org) { S.orgWishes = null; applyFilters(quiet); return; }
    allWishes('org=' + encodeURIComponent(org)).then(function (res) {
      if (!res.ok || !res.data || currentFilters().org !== org) { return; }
      S.orgWishes = { org: org, ids: new Set(res.data.wishes.map(function (w) { return w.id; })) };
      applyFilters(quiet);
    });
    applyFilters(quiet);
  }

  var loadOrgWishesSoon = W.debounce(function () { if (currentFilters().org) { loadOrgWishes(true); } }, 500);

  // ------------------------------------------------------------------ claiming

  function claim(wid) {
    var w = S.wishes.get(wid);
    if (!w || S.claiming.has(wid)) { return; }
    var tok = tokens.get();
    if (!tok) {
      notify(W.msg('wall.needSignIn'), 'error');
      cardMessage(wid, W.msg('wall.needSignIn'), 'error');
      accountMessage(W.msg('wall.needSignIn'), 'error');
      $('token-input').focus();
      return;
    }
    S.claiming.add(wid);
    cardMessage(wid, '');
    var btn = $('claim-' + wid);
    var hadFocus = document.activeElement === btn;
    syncCardById(wid);
    var sentAt = Date.now();
    var camp = S.campaigns.get(w.campaignId);
    // At the instant of a draw the engine answers 503 with Retry-After; one retry then gets the result.
    var call = undrawn(camp) ? W.apiRetry : W.api;
    call('POST', '/api/wishes/' + encodeURIComponent(wid) + '/claims', { token: tok }).then(function (res) {
      S.claiming.delete(wid);
      var msg;
      if ((res.status === 202 || res.status === 200) && res.data && res.data.status === 'entered') {
        var known = S.entries.get(wid);
        if (!known || known.entryId !== res.data.entryId || known.outcome === 'pending') {
          S.entries.set(wid, { entryId: res.data.entryId, campaignId: res.data.campaignId, wishId: wid,
            enteredAt: res.data.enteredAt, drawAt: res.data.drawAt, outcome: 'pending' });
        }
        var drawAt = res.data.drawAt;
        notify(W.msg('wall.entered202', { title: w.title, time: function () { return W.formatClock(drawAt); } }), 'ok');
        scheduleEntryCheck();
      } else if ((res.status === 201 || res.status === 200) && res.data) {
        S.held.add(wid);
        var c = S.campaigns.get(w.campaignId);
        var claimedAt = Date.parse(res.data.claimedAt);
        var deadline = function () {
          return c && !isNaN(claimedAt) ? W.formatTime(claimedAt + c.fulfilWithinHours * 3600000) : '';
        };
        msg = res.status === 201
          ? W.msg('wall.claimed201', { title: w.title, deadline: deadline })
          : W.msg('wall.claimed200', { title: w.title });
        notify(msg, 'ok');
        cardMessage(wid, msg, 'ok');
        refreshMyClaims();
      } else {
        var code = res.data && res.data.error;
        if (code === 'sold_out') {
          w.remaining = 0;
          w.lastEventAt = Date.now();
          syncCampaignById(w.campaignId);
        } else if (code === 'not_open' && res.data.opensAt) {
          // The engine's clock is behind ours: it had not reached opensAt when it handled this.
          var opens = Date.parse(res.data.opensAt);
          if (!isNaN(opens) && sentAt + S.skew >= opens) {
            S.skew = opens - sentAt - 1;
            tick();
          }
        } else if (res.status === 401) {
          accountMessage(function () { return t('wall.tokenRejected') + ' ' + W.errorMessage(res); }, 'error');
        }
        msg = function () { return W.errorMessage(res, { forbidden: 'err.forbidden_organiser' }); };
        notify(msg, 'error');
        cardMessage(wid, msg, 'error');
      }
      syncCardById(wid);
      var again = $('claim-' + wid);
      if (hadFocus && again && !again.disabled) { again.focus(); }
    });
  }

  // ------------------------------------------------------------------ my claims

  function refreshMyClaims() {
    var tok = tokens.get();
    if (!tok) { renderMyClaims(); return Promise.resolve(); }
    return W.api('GET', '/api/me/claims', { token: tok }).then(function (res) {
      if (!res.ok || !res.data) {
        if (res.status === 401 || res.status === 403) {
          accountMessage(function () {
            return t('wall.tokenRejected') + ' ' + W.errorMessage(res, { forbidden: 'err.forbidden_organiser' });
          }, 'error');
        }
        return;
      }
      var before = S.held;
      S.myClaims = res.data.claims || [];
      S.held = new Set();
      S.myClaims.forEach(function (c) { if (ACTIVE[c.status]) { S.held.add(c.wishId); } });
      before.forEach(function (id) { if (!S.held.has(id)) { syncCardById(id); } });
      S.held.forEach(syncCardById);
      renderMyClaims();
    });
  }

  var refreshMyClaimsSoon = W.debounce(refreshMyClaims, 500);

  // ------------------------------------------------------------------ fair-start entries

  function anyFairStart() {
    var any = false;
    S.campaigns.forEach(function (c) { if (c.fairStart) { any = true; } });
    return any;
  }

  /**
   * Reads my entries (GET /api/me/entries), shows each one's outcome on its card, and tells me
   * when one of them was just settled; a win is a claim, so my claims are read again too.
   */
  function refreshEntries() {
    var tok = tokens.get();
    if (!tok || !anyFairStart()) { return Promise.resolve(); }
    return W.apiRetry('GET', '/api/me/entries', { token: tok }).then(function (res) {
      if (!res.ok || !res.data || tok !== tokens.get()) { scheduleEntryCheck(); return; }
      var before = S.entries;
      S.entries = new Map();
      (res.data.entries || []).forEach(function (e) { S.entries.set(e.wishId, e); });
      var settled = [];
      S.entries.forEach(function (e, wid) {
        var old = before.get(wid);
        if (old && old.outcome === 'pending' && e.outcome !== 'pending') { settled.push(e); }
      });
      before.forEach(function (e, wid) { if (!S.entries.has(wid)) { syncCardById(wid); } });
      S.entries.forEach(function (e, wid) { syncCardById(wid); });
      if (settled.length) {
        settled.forEach(tellOutcome);
        refreshMyClaims();
      }
      scheduleEntryCheck();
    });
  }

  function tellOutcome(e) {
    var w = S.wishes.get(e.wishId);
    var title = w ? w.title : e.wishId;
    var msg = e.outcome === 'won' ? W.msg('wall.wonNotice', { title: title, claim: e.claimId })
      : W.msg('wall.lostNotice', { title: title });
    notify(msg, e.outcome === 'won' ? 'ok' : 'info');
    announce(W.render(msg));
  }

  /**
   * The fallback for a missed draw event: checks my entries about 1.5 s after the earliest pending
   * entry's draw is due, then less and less often while the draw stays pending.
   */
  function scheduleEntryCheck() {
    clearTimeout(S.entryTimer);
    S.entryTimer = null;
    var due = Infinity;
    S.entries.forEach(function (e) {
      if (e.outcome === 'pending') { due = Math.min(due, Date.parse(e.drawAt) + 1500); }
    });
    if (due === Infinity) { S.entryBackoff = 0; return; }
    var wait = due - serverNow();
    if (wait <= 0) {
      S.entryBackoff = Math.min(S.entryBackoff ? S.entryBackoff * 2 : 2000, 30000);
      wait = S.entryBackoff;
    }
    S.entryTimer = setTimeout(refreshEntries, wait);
  }

  /**
   * A campaign's draw was settled (its winners' claims came just before as claimed events): the
   * wall marks it drawn, and a visitor with an entry in it reads the outcome, a moment apart from
   * the other entrants so that they do not all ask in the same millisecond.
   */
  function onDraw(data) {
    if (!data || !data.campaignId) { return; }
    var c = S.campaigns.get(data.campaignId);
    if (!c) { if (S.loaded) { scheduleReload(); } return; }
    if (c.fairStart && !c.fairStart.drawn) {
      c.fairStart.drawn = true;
      tick();
      syncCampaignById(c.id);
      c.wishIds.forEach(syncCardById);
    }
    var mine = false;
    S.entries.forEach(function (e) { if (e.campaignId === c.id && e.outcome === 'pending') { mine = true; } });
    if (mine) { setTimeout(refreshEntries, Math.floor(Math.random() * 500)); }
    loadStatsSoon();
  }

  function stars(n) {
    var s = '';
    for (var i = 1; i <= 5; i++) { s += i <= n ? '★' : '☆'; }
    return s + ' (' + n + '/5)';
  }

  function renderMyClaims() {
    var list = $('my-claims-list');
    var focusedId = document.activeElement && list.contains(document.activeElement)
      ? document.activeElement.getAttribute('data-focus-key') : null;
    list.textContent = '';
    if (!tokens.get()) { list.setAttribute('data-count', '0'); return; }
    if (!S.myClaims.length) {
      list.appendChild(el('li', { class: 'claim-empty', text: t('wall.myClaimsEmpty') }));
      list.setAttribute('data-count', '0');
      return;
    }
    var claims = S.myClaims.slice().sort(function (a, b) {
      var aa = a.status === 'claimed' || a.status === 'fulfilled';
      var ba = b.status === 'claimed' || b.status === 'fulfilled';
      if (aa !== ba) { return aa ? -1 : 1; }
      return Date.parse(b.claimedAt) - Date.parse(a.claimedAt);
    });
    list.setAttribute('data-count', String(claims.length));
    claims.forEach(function (c) {
      var w = S.wishes.get(c.wishId);
      var camp = S.campaigns.get(c.campaignId);
      var title = w ? w.title : c.wishId;
      var lines = [t('wall.claimedAt', { time: W.formatTime(c.claimedAt) })];
      if (c.status === 'claimed' && camp) {
        lines.push(t('wall.deliverBy', { time: W.formatTime(Date.parse(c.claimedAt) + camp.fulfilWithinHours * 3600000) }));
      }
      if (c.fulfilledAt) { lines.push(t('wall.fulfilledAt', { time: W.formatTime(c.fulfilledAt) })); }
      var item = el('li', { class: 'claim-item', id: 'my-claim-' + c.id, 'data-claim-id': c.id, 'data-wish-id': c.wishId,
          'data-status': c.status, tabindex: '-1', 'data-focus-key': 'item-' + c.id },
        el('div', { class: 'claim-head' },
          el('strong', { class: 'claim-title', text: title }),
          el('span', { class: 'status status-' + c.status, text: W.statusLabel(c.status) })),
        el('p', { class: 'claim-sub', text: (camp ? camp.title + ' · ' : '') + lines.join(' · ') }),
        c.rating ? el('p', { class: 'claim-sub', text: t('wall.rating', { stars: stars(c.rating) }) + (c.comment ? ' · ' + c.comment : '') }) : null);
      if (c.status === 'claimed') {
        item.appendChild(el('div', { class: 'claim-actions' },
          el('button', { type: 'button', class: 'btn btn-small btn-primary', 'data-action': 'fulfil', 'data-claim-id': c.id,
            'data-focus-key': 'fulfil-' + c.id, 'aria-describedby': 'my-claim-' + c.id, text: t('wall.fulfil') }),
          el('button', { type: 'button', class: 'btn btn-small btn-quiet', 'data-action': 'cancel', 'data-claim-id': c.id,
            'data-focus-key': 'cancel-' + c.id, 'aria-describedby': 'my-claim-' + c.id, text: t('wall.cancel') })));
      }
      list.appendChild(item);
    });
    if (focusedId) {
      var again = list.querySelector('[data-focus-key="' + focusedId + '"]');
      if (again) { again.focus(); }
    }
  }

  function claimAction(action, claimId) {
    var claim = S.myClaims.filter(function (c) { return c.id === claimId; })[0];
    var w = claim && S.wishes.get(claim.wishId);
    var title = w ? w.title : (claim ? claim.wishId : claimId);
    if (action === 'cancel' && !window.confirm(t('wall.cancelConfirm', { title: title }))) { return; }
    var buttons = document.querySelectorAll('#my-claim-' + CSS.escape(claimId) + ' button');
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
    var path = '/api/claims/' + encodeURIComponent(claimId) + '/' + (action === 'cancel' ? 'cancel' : 'fulfil');
    W.api('POST', path, { token: tokens.get() }).then(function (res) {
      if (res.ok) {
        notify(action === 'cancel' ? W.msg('wall.cancelDone', { title: title }) : W.msg('wall.fulfilDone'), 'ok');
      } else {
        notify(function () { return W.errorMessage(res); }, 'error');
      }
      refreshMyClaims().then(function () {
        var item = $('my-claim-' + claimId);
        if (item) { item.focus(); } else { $('my-claims-title').focus(); }
      });
    });
  }

  // ------------------------------------------------------------------ stats

  function loadStats() {
    return W.api('GET', '/api/stats').then(function (res) {
      if (!res.ok || !res.data) { return; }
      var s = res.data;
      var fmt = new Intl.NumberFormat(W.lang() === 'zh' ? 'zh-CN' : 'en-GB');
      $('stat-dreams').textContent = fmt.format((s.fulfilled || 0) + (s.confirmed || 0));
      $('stat-remaining').textContent = fmt.format(s.remaining || 0);
      $('stat-satisfaction').textContent = typeof s.satisfaction === 'number'
        ? (Math.round(s.satisfaction * 1000) / 10).toFixed(1) + '%' : t('common.none');
    });
  }

  var loadStatsSoon = W.debounce(loadStats, 2000);

  // ------------------------------------------------------------------ live events

  var pendingSoldOut = [];
  var pendingReleased = [];
  var flushAnnouncements = W.debounce(function () {
    var parts = [];
    if (pendingSoldOut.length === 1) { parts.push(t('wall.annSoldOut', { title: pendingSoldOut[0] })); }
    else if (pendingSoldOut.length > 1) { parts.push(t('wall.annSoldOutMany', { n: pendingSoldOut.length })); }
    if (pendingReleased.length) { parts.push(t('wall.annReleased', { title: pendingReleased[0] })); }
    pendingSoldOut = [];
    pendingReleased = [];
    if (parts.length) { announce(parts.join(' ')); }
  }, 2500);

  function announce(text) {
    var node = $('announcer');
    node.textContent = '';
    node.appendChild(document.createTextNode(text));
  }

  function setLive(state) {
    var node = $('live-state');
    node.setAttribute('data-state', state);
    var text = $('live-text');
    var key = state === 'live' ? 'wall.liveOn' : state === 'lost' ? 'wall.liveLost' : 'wall.liveConnecting';
    text.setAttribute('data-i18n', key);
    text.textContent = t(key);
  }

  function onEvent(type, data) {
    if (!data || !data.wishId) { return; }
    var w = S.wishes.get(data.wishId);
    if (!w) {
      if (S.loaded) { scheduleReload(); }
      return;
    }
    var was = w.remaining;
    if (typeof data.remaining === 'number') { w.remaining = data.remaining; }
    w.lastEventAt = Date.now();
    syncCardById(w.id);
    syncCampaignById(w.campaignId);
    if ($('filter-available').checked && (was > 0) !== (w.remaining > 0)) { applyFilters(true); }
    if (type === 'sold_out') { pendingSoldOut.push(w.title); flushAnnouncements(); }
    if (type === 'released' && was === 0 && w.remaining > 0) { pendingReleased.push(w.title); flushAnnouncements(); }
    if (S.held.has(w.id) && type !== 'claimed' && type !== 'sold_out') { refreshMyClaimsSoon(); }
    loadStatsSoon();
  }

  /**
   * A campaign published while the wall is open: read it with its wishes and show it at once.
   * Its opening needs no event: the countdown (tick) opens it at opensAt like any other.
   */
  function onCampaign(data) {
    if (!data || !data.campaignId || S.campaigns.has(data.campaignId)) { return; }
    loadOrgWishesSoon();
    var requestedAt = Date.now();
    W.api('GET', '/api/campaigns/' + encodeURIComponent(data.campaignId)).then(function (res) {
      if (!res.ok || !res.data) { scheduleReload(); return; }
      var c = res.data;
      if (S.campaigns.has(c.id)) { return; }
      var wishes = c.wishes || [];
      delete c.wishes;
      prepareCampaign(c);
      c.isOpen = null;
      c.addedAt = requestedAt;
      c.wishIds = wishes.map(function (w) { return w.id; });
      wishes.forEach(function (w) { mergeWish(w, requestedAt); });
      S.campaigns.set(c.id, c);
      if (S.loaded) { renderWall(); tick(); }
      announce(t('wall.newCampaign', { title: c.title }));
      loadStatsSoon();
    });
  }

  function connectEvents() {
    if (!window.EventSource) { setLive('lost'); return; }
    var es = new EventSource('/api/events');
    es.onopen = function () { setLive('live'); };
    es.onerror = function () {
      setLive('lost');
      if (es.readyState === EventSource.CLOSED) {
        setTimeout(function () { connectEvents(); loadAll(); }, 3000);
      }
    };
    EVENT_TYPES.forEach(function (type) {
      es.addEventListener(type, function (e) {
        var data = null;
        try { data = JSON.parse(e.data); } catch (err) { return; }
        onEvent(type, data);
      });
    });
    es.addEventListener('campaign', function (e) {
      var data = null;
      try { data = JSON.parse(e.data); } catch (err) { return; }
      onCampaign(data);
    });
    es.addEventListener('draw', function (e) {
      var data = null;
      try { data = JSON.parse(e.data); } catch (err) { return; }
      onDraw(data);
    });
    es.addEventListener('reset', function () { loadAll().then(refreshEntries); refreshMyClaims(); loadStats(); });
  }

  // ------------------------------------------------------------------ start

  function start() {
    readFragmentToken();
    W.initLangSwitch();
    W.onLangChange(function () {
      updateAccount();
      S.wishes.forEach(function (w) { syncCardById(w.id); });
      S.campaigns.forEach(function (c) { syncCampaignById(c.id); });
      fillFilterOptions();
      if (S.tree) { fillOrgFilters(); }
      applyFilters(true);
      renderMyClaims();
      var live = $('live-text');
      live.textContent = t(live.getAttribute('data-i18n'));
      loadStats();
    });
    $('token-form').addEventListener('submit', signIn);
    $('sign-out').addEventListener('click', signOut);
    $('campaigns').addEventListener('click', function (e) {
      var btn = e.target.closest('[data-action=claim]');
      if (btn && !btn.disabled) { claim(btn.getAttribute('data-wish-id')); }
    });
    $('my-claims-list').addEventListener('click', function (e) {
      var btn = e.target.closest('button[data-action]');
      if (btn && !btn.disabled) { claimAction(btn.getAttribute('data-action'), btn.getAttribute('data-claim-id')); }
    });
    $('filters').addEventListener('submit', function (e) { e.preventDefault(); });
    $('filters-toggle').addEventListener('click', function () {
      var open = $('filters-toggle').getAttribute('aria-expanded') !== 'true';
      $('filters-toggle').setAttribute('aria-expanded', open ? 'true' : 'false');
      $('filters').classList.toggle('is-open', open);
      if (open) { $('filter-campaign').focus(); }
    });
    ['filter-campaign', 'filter-category', 'filter-available'].forEach(function (id) {
      $(id).addEventListener('change', function () { applyFilters(false); });
    });
    $('filter-location').addEventListener('input', W.debounce(function () { applyFilters(false); }, 200));
    $('filter-town').addEventListener('change', function () { fillCommunities(); loadOrgWishes(false); });
    $('filter-community').addEventListener('change', function () { loadOrgWishes(false); });
    loadTree();
    updateAccount();
    connectEvents();
    loadAll().then(function () { refreshMyClaims(); refreshEntries(); });
    loadStats();
    // New campaigns arrive as 'campaign' events; this only refreshes the stats and is a safety net.
    setInterval(function () { if (!document.hidden) { loadAll(); loadStats(); loadTree(); loadOrgWishesSoon(); } }, 60000);
  }

  start();
})();
