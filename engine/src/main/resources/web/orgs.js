/*
 * The organiser tree as the pages see it (GET /api/orgs, API.md 6.17): who is whose parent, a
 * subtree, the path from a root, and options for a select indented by depth. Shared by the wall
 * (town and community filters) and the organiser page (scope, statistics, tree management).
 */
(function () {
  'use strict';

  var W = window.Wish;

  /** A tree built from the flat list GET /api/orgs answers (each org after its parent). */
  function Tree(list) {
    var self = this;
    this.list = list || [];
    this.byId = new Map();
    this.kids = new Map();
    this.roots = [];
    this.list.forEach(function (o) {
      self.byId.set(o.id, o);
      if (o.parent && self.byId.has(o.parent)) {
        if (!self.kids.has(o.parent)) { self.kids.set(o.parent, []); }
        self.kids.get(o.parent).push(o);
      } else {
        self.roots.push(o);
      }
    });
  }

  Tree.prototype.get = function (id) { return this.byId.get(id) || null; };

  Tree.prototype.children = function (id) { return this.kids.get(id) || []; };

  /** The org and everything below it, as a Set of ids (empty for an unknown org). */
  Tree.prototype.subtree = function (id) {
    var out = new Set();
    if (!this.byId.has(id)) { return out; }
    var stack = [id];
    while (stack.length) {
      var cur = stack.pop();
      out.add(cur);
      this.children(cur).forEach(function (c) { stack.push(c.id); });
    }
    return out;
  };

  /** The ids from the root down to id, both included. */
  Tree.prototype.path = function (id) {
    var out = [];
    var cur = this.byId.get(id);
    while (cur) {
      out.unshift(cur.id);
      cur = cur.parent ? this.byId.get(cur.parent) : null;
    }
    return out;
  };

  Tree.prototype.depth = function (id) { return this.path(id).length - 1; };

  /** The orgs of the subtrees under the given tops (all roots when tops is empty), in tree order. */
  Tree.prototype.ordered = function (tops) {
    var self = this;
    var out = [];
    function walk(o, depth) {
      out.push({ org: o, depth: depth });
      self.children(o.id).forEach(function (c) { walk(c, depth + 1); });
    }
    (tops && tops.length ? tops.map(function (id) { return self.byId.get(id); }).filter(Boolean) : this.roots)
      .forEach(function (o) { walk(o, 0); });
    return out;
  };

  /** "朱泾镇 (town-zhujing)": how an org is named on the pages. */
  function label(o) {
    return o ? o.name + ' (' + o.id + ')' : '';
  }

  /**
   * Fills a select with the orgs under tops (indented by depth), keeping its value when it is
   * still there. first: an optional {value, text} option put before them; live: leave out retired orgs.
   */
  function fillSelect(select, tree, tops, first, live) {
    var keep = select.value;
    select.textContent = '';
    if (first) { select.appendChild(W.el('option', { value: first.value, text: first.text })); }
    tree.ordered(tops).forEach(function (e) {
      if (live && e.org.retired) { return; }
      select.appendChild(W.el('option', { value: e.org.id, text: '\u00a0\u00a0'.repeat(e.depth) + label(e.org) }));
    });
    var values = Array.prototype.map.call(select.options, function (o) { return o.value; });
    if (values.indexOf(keep) >= 0) { select.value = keep; }
  }

  /** Reads the tree; resolves with a Tree (empty on failure) and the answer. */
  function load() {
    return W.api('GET', '/api/orgs').then(function (res) {
      return { tree: new Tree(res.ok && res.data && res.data.orgs ? res.data.orgs : []), res: res };
    });
  }

  window.WishOrgs = { Tree: Tree, label: label, fillSelect: fillSelect, load: load };
})();
