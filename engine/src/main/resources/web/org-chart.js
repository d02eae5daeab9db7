/*
 * The organiser page's bar chart, drawn as inline SVG (no library, no external resource): one
 * group per child org, a pale bar for its published units and, in front, grouped bars for the
 * units claimed, delivered and confirmed. A group is clickable (and focusable) to drill down.
 */
(function () {
  'use strict';

  var NS = 'http://www.w3.org/2000/svg';
  var SERIES = ['claimed', 'fulfilled', 'confirmed'];
  var GROUP = 64;      // px per child at the viewBox's scale
  var HEIGHT = 180;    // px of bar area
  var BASE = 200;      // y of the axis; names are written below it

  function node(tag, attrs, text) {
    var n = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) { n.textContent = text; }
    return n;
  }

  function shorten(name) {
    return name.length > 8 ? name.slice(0, 7) + '…' : name;
  }

  /**
   * Draws rows ([{org, name, units, claimed, fulfilled, confirmed}]) into box, replacing what was
   * there. opts: {title, describe(row) → tooltip text, onPick(orgId)}; a row without children to
   * drill into still gets its bars (onPick decides what a click does).
   */
  function render(box, rows, opts) {
    box.textContent = '';
    var max = 1;
    rows.forEach(function (r) { max = Math.max(max, r.units || 0, r.claimed || 0, r.fulfilled || 0, r.confirmed || 0); });
    var width = Math.max(rows.length, 1) * GROUP + 16;
    var svg = node('svg', { viewBox: '0 0 ' + width + ' 232', width: '100%', role: 'img', class: 'org-chart-svg',
      preserveAspectRatio: 'xMinYMin meet', 'data-groups': rows.length });
    svg.style.maxWidth = (width * 1.6) + 'px';
    svg.appendChild(node('title', {}, opts.title || ''));
    svg.appendChild(node('line', { x1: 8, y1: BASE, x2: width - 8, y2: BASE, class: 'axis' }));
    rows.forEach(function (r, i) {
      var x = 8 + i * GROUP;
      var g = node('g', { class: 'bar-group', 'data-org': r.org, tabindex: 0, role: 'button',
        transform: 'translate(' + x + ',0)' });
      g.appendChild(node('title', {}, opts.describe ? opts.describe(r) : r.name));
      var h = function (v) { return Math.round((v || 0) / max * HEIGHT); };
      g.appendChild(node('rect', { class: 'bar bar-units', 'data-series': 'units', 'data-value': r.units || 0,
        x: 4, width: GROUP - 12, y: BASE - h(r.units), height: h(r.units) }));
      var bw = (GROUP - 20) / SERIES.length;
      SERIES.forEach(function (s, j) {
        g.appendChild(node('rect', { class: 'bar bar-' + s, 'data-series': s, 'data-value': r[s] || 0,
          x: 8 + j * bw, width: bw - 1, y: BASE - h(r[s]), height: h(r[s]) }));
      });
      g.appendChild(node('text', { class: 'bar-label', x: (GROUP - 4) / 2, y: BASE + 16, 'text-anchor': 'middle' }, shorten(r.name)));
      g.appendChild(node('text', { class: 'bar-value', x: (GROUP - 4) / 2, y: BASE + 30, 'text-anchor': 'middle' },
        (r.confirmed || 0) + '/' + (r.units || 0)));
      if (opts.onPick) {
        g.addEventListener('click', function () { opts.onPick(r.org); });
        g.addEventListener('keydown', function (e) {
          if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); opts.onPick(r.org); }
        });
      }
      svg.appendChild(g);
    });
    box.appendChild(svg);
    return svg;
  }

  window.WishOrgChart = { render: render };
})();
