/*
 * Checks a fair-start draw's public record (the drawn body of GET /api/campaigns/{id}/draw) in the
 * browser, by recomputing it exactly as engine/API.md §6.16 states and as the engine's
 * DrawAudit.verify does: the seed's SHA-256 is the commitment; the entries are well formed; the
 * drawn order is Fisher–Yates over the entries sorted by id, driven by HMAC-SHA256(seed, counter)
 * words with rejection sampling; the winners follow from that order by the claim rules.
 *
 * Needs WebCrypto (crypto.subtle), which browsers offer only on secure contexts (https, or http on
 * localhost); WishDrawVerify.available() says whether it is there. No other dependency.
 */
(function (global) {
  'use strict';

  var ID = /^[A-Za-z0-9_-]{1,64}$/;
  var NONE = '(none)';
  /** HMAC blocks asked of WebCrypto at once: its calls are asynchronous, so they are batched. */
  var BLOCKS_PER_BATCH = 64;

  function subtle() {
    return global.crypto && global.crypto.subtle ? global.crypto.subtle : null;
  }

  function hexToBytes(hex) {
    if (typeof hex !== 'string' || !/^[0-9a-fA-F]{64}$/.test(hex)) { return null; }
    var bytes = new Uint8Array(32);
    for (var i = 0; i < 32; i++) { bytes[i] = parseInt(hex.substr(2 * i, 2), 16); }
    return bytes;
  }

  function bytesToHex(buffer) {
    var bytes = new Uint8Array(buffer);
    var s = '';
    for (var i = 0; i < bytes.length; i++) { s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16); }
    return s;
  }

  function hmacKey(seed) {
    return subtle().importKey('raw', seed, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  }

  /** k as 8 bytes big-endian (k stays far below 2^53). */
  function counter(k) {
    var b = new Uint8Array(8);
    var view = new DataView(b.buffer);
    view.setUint32(0, Math.floor(k / 4294967296), false);
    view.setUint32(4, k % 4294967296, false);
    return b;
  }

  /**
   * The draw's words: block k = HMAC-SHA256(seed, k as 8 bytes big-endian), each block read as
   * eight unsigned 32-bit big-endian words, in order.
   */
  function wordStream(key) {
    var words = [];
    var next = 0;
    var nextBlock = 0;
    function refill() {
      var asks = [];
      for (var i = 0; i < BLOCKS_PER_BATCH; i++) { asks.push(subtle().sign('HMAC', key, counter(nextBlock++))); }
      return Promise.all(asks).then(function (blocks) {
        words = [];
        next = 0;
        blocks.forEach(function (block) {
          var view = new DataView(block);
          for (var w = 0; w < 8; w++) { words.push(view.getUint32(4 * w, false)); }
        });
      });
    }
    return {
      /** A uniformly drawn index below bound: reject x >= 2^32 - (2^32 mod bound), else x mod bound. */
      below: async function (bound) {
        var limit = 4294967296 - (4294967296 % bound);
        for (;;) {
          if (next === words.length) { await refill(); }
          var x = words[next++];
          if (x < limit) { return x % bound; }
        }
      }
    };
  }

  /** Ids are ASCII, so comparing UTF-16 code units is comparing their bytes (a prefix first). */
  function byId(a, b) {
    return a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0;
  }

  /** The drawn order (entry ids) of entries [{entryId, ...}] under the 64-hex seed. */
  async function drawnOrder(seedHex, entries) {
    var a = entries.slice().sort(byId);
    var stream = wordStream(await hmacKey(hexToBytes(seedHex)));
    for (var i = a.length - 1; i >= 1; i--) {
      var j = await stream.below(i + 1);
      var swap = a[i];
      a[i] = a[j];
      a[j] = swap;
    }
    return a.map(function (e) { return e.entryId; });
  }

  /** Lowercase hex SHA-256 of the 32 seed bytes (not of their hex). */
  async function commitment(seedHex) {
    return bytesToHex(await subtle().digest('SHA-256', hexToBytes(seedHex)));
  }

  /** How a user appears in the record: hex HMAC-SHA256(seed, UTF-8 of "user:" + id). */
  async function userHash(seedHex, userId) {
    var key = await hmacKey(hexToBytes(seedHex));
    return bytesToHex(await subtle().sign('HMAC', key, new TextEncoder().encode('user:' + userId)));
  }

  /**
   * The winners, in drawn order: an entry loses if its user already holds its wish (before the
   * draw or by an earlier win), else if no unit of the wish is left, else if its user already holds
   * perUserLimit claims in the campaign; otherwise it wins a unit.
   */
  function settle(drawn, byEntry, unitsLeft, perUserLimit, held) {
    var left = new Map();
    Object.keys(unitsLeft).forEach(function (w) { left.set(w, unitsLeft[w]); });
    var holding = new Set();
    var perUser = new Map();
    held.forEach(function (h) {
      var k = h.userHash + '\u0000' + h.wishId;
      if (holding.has(k)) { return; }
      holding.add(k);
      perUser.set(h.userHash, (perUser.get(h.userHash) || 0) + 1);
    });
    var winners = [];
    drawn.forEach(function (id) {
      var e = byEntry.get(id);
      var k = e.userHash + '\u0000' + e.wishId;
      var units = left.get(e.wishId);
      if (holding.has(k) || units === 0 || (perUser.get(e.userHash) || 0) >= perUserLimit) { return; }
      left.set(e.wishId, units - 1);
      holding.add(k);
      perUser.set(e.userHash, (perUser.get(e.userHash) || 0) + 1);
      winners.push(id);
    });
    return winners;
  }

  function mismatch(part, index, expected, found) {
    var where = {
      seed: 'seed', commitment: 'commitment', entries: 'entry at arrival position ' + index, rules: 'rules',
      drawn: 'drawn order at place ' + index, winners: 'winner number ' + index
    }[part];
    var found2 = String(found);
    return {
      ok: false, part: part, index: index, where: where, expected: String(expected), found: found2,
      describe: 'MISMATCH in ' + where + ': expected ' + expected + ', found ' + found2
    };
  }

  function firstDifference(part, expected, found) {
    var common = Math.min(expected.length, found.length);
    for (var i = 0; i < common; i++) {
      if (expected[i] !== found[i]) { return mismatch(part, i, expected[i], found[i]); }
    }
    if (expected.length !== found.length) {
      return mismatch(part, common, common < expected.length ? expected[common] : NONE,
        common < found.length ? found[common] : NONE);
    }
    return null;
  }

  function isInt(v) { return typeof v === 'number' && Math.floor(v) === v; }
  function isText(v) { return typeof v === 'string'; }

  /**
   * Resolves with {ok: true, commitment, entries, winners, describe} when the record recomputes,
   * or {ok: false, part, index, where, expected, found, describe} at the first difference, in the order
   * the engine checks: seed, commitment, entries, rules, drawn order, winners. Rejects only when
   * the record is not the drawn record's shape at all, or WebCrypto is missing.
   */
  async function verify(record) {
    if (!subtle()) { throw new Error('WebCrypto (crypto.subtle) is not available here'); }
    if (!record || record.state !== 'drawn' || !Array.isArray(record.entries) || !Array.isArray(record.drawn)
        || !Array.isArray(record.winners) || !Array.isArray(record.held) || !record.unitsLeft
        || typeof record.unitsLeft !== 'object' || !isInt(record.perUserLimit) || !isText(record.commitment)) {
      throw new Error('not a drawn record of GET /api/campaigns/{id}/draw');
    }
    if (!hexToBytes(record.seed)) { return mismatch('seed', -1, '64 hex digits', record.seed); }
    var expected = await commitment(record.seed);
    if (expected !== record.commitment) { return mismatch('commitment', -1, expected, record.commitment); }
    var byEntry = new Map();
    for (var i = 0; i < record.entries.length; i++) {
      var e = record.entries[i];
      if (!e || !isText(e.entryId) || !ID.test(e.entryId) || !isText(e.wishId) || !isText(e.userHash)
          || !e.userHash || !isInt(e.arrival)) {
        return mismatch('entries', i, 'an entry id, wish id and user hash', JSON.stringify(e));
      }
      if (byEntry.has(e.entryId)) { return mismatch('entries', i, 'a new entry id', e.entryId + ' again'); }
      if (i > 0 && e.arrival <= record.entries[i - 1].arrival) {
        return mismatch('entries', i, 'arrival after ' + record.entries[i - 1].arrival, 'arrival ' + e.arrival);
      }
      byEntry.set(e.entryId, e);
    }
    if (record.perUserLimit < 1) {
      return mismatch('rules', -1, 'a per-user limit of at least 1', record.perUserLimit);
    }
    var wishes = Object.keys(record.unitsLeft).sort();
    for (var w = 0; w < wishes.length; w++) {
      var units = record.unitsLeft[wishes[w]];
      if (!isInt(units) || units < 0) {
        return mismatch('rules', -1, 'units left of wish ' + wishes[w] + ' at least 0', units);
      }
    }
    for (var n = 0; n < record.entries.length; n++) {
      if (!Object.prototype.hasOwnProperty.call(record.unitsLeft, record.entries[n].wishId)) {
        return mismatch('rules', -1, 'units left of wish ' + record.entries[n].wishId, NONE);
      }
    }
    for (var h = 0; h < record.held.length; h++) {
      var claim = record.held[h];
      if (!claim || !isText(claim.userHash) || !isText(claim.wishId)) {
        return mismatch('rules', -1, 'a held claim with user hash and wish', JSON.stringify(claim));
      }
    }
    var order = await drawnOrder(record.seed, record.entries);
    var orderDiffers = firstDifference('drawn', order, record.drawn);
    if (orderDiffers) { return orderDiffers; }
    var winners = settle(order, byEntry, record.unitsLeft, record.perUserLimit, record.held);
    var winnersDiffer = firstDifference('winners', winners, record.winners);
    if (winnersDiffer) { return winnersDiffer; }
    return {
      ok: true, commitment: record.commitment, entries: record.entries.length, winners: winners.length,
      describe: 'OK: commitment ' + record.commitment + ' matches the seed; drawn order of ' + record.entries.length
        + ' entries and ' + winners.length + ' winners recomputed'
    };
  }

  global.WishDrawVerify = {
    available: function () { return !!subtle(); },
    verify: verify,
    commitment: commitment,
    drawnOrder: drawnOrder,
    userHash: userHash
  };
})(typeof window !== 'undefined' ? window : globalThis);
