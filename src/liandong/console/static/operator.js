/* Liandong console: the operator's and the 110 desk's keys and live cues. No dependencies but htmx. */
(function () {
  "use strict";

  function combo(e) {
    var k = e.key === " " ? "Space" : e.key;
    if (k.length === 1) k = k.toUpperCase();
    return (e.ctrlKey ? "Ctrl+" : "") + (e.altKey ? "Alt+" : "") + (e.shiftKey && k.length > 1 ? "Shift+" : "") + k;
  }

  function editable(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  function openShortcuts() {
    var d = document.getElementById("shortcuts");
    if (d && !d.open) d.showModal();
  }

  function activate(el) {
    var closed = el.closest("details:not([open])");
    if (closed) closed.open = true;
    if (el.tagName === "BUTTON") { el.click(); } else { el.focus(); }
  }

  document.addEventListener("keydown", function (e) {
    var c = combo(e);
    if (c === "F1" || (e.key === "?" && !editable(e.target))) {
      e.preventDefault();
      openShortcuts();
      return;
    }
    if (e.altKey && /^Digit[0-9]$/.test(e.code)) c = (e.ctrlKey ? "Ctrl+" : "") + "Alt+" + e.code.slice(5);
    if (e.altKey && /^Key[A-Z]$/.test(e.code)) c = (e.ctrlKey ? "Ctrl+" : "") + "Alt+" + e.code.slice(3);
    var target = document.querySelector('[data-key="' + c + '"]');
    if (target) {
      e.preventDefault();
      activate(target);
    }
  });

  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-open-shortcuts]")) openShortcuts();
  });

  /* The 110 desk: a new alarm (a police order not seen on this page before) flashes and beeps. */
  var known = null;

  function alarms() {
    return Array.prototype.map.call(document.querySelectorAll("[data-alarm]"), function (el) {
      return { number: el.getAttribute("data-alarm"), title: el.getAttribute("data-title") || "" };
    });
  }

  function beep() {
    window.__ldBeeps = (window.__ldBeeps || 0) + 1;
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) return;
      var ac = beep.ctx || (beep.ctx = new Ctx());
      if (ac.state === "suspended") ac.resume();
      [0, 0.25].forEach(function (at) {
        var osc = ac.createOscillator(), gain = ac.createGain();
        osc.type = "square";
        osc.frequency.value = 880;
        gain.gain.setValueAtTime(0.15, ac.currentTime + at);
        gain.gain.exponentialRampToValueAtTime(0.001, ac.currentTime + at + 0.2);
        osc.connect(gain);
        gain.connect(ac.destination);
        osc.start(ac.currentTime + at);
        osc.stop(ac.currentTime + at + 0.2);
      });
    } catch (err) { /* no sound device: the banner still shows */ }
  }

  function checkAlarms() {
    var now = alarms();
    if (known === null) {
      known = {};
      now.forEach(function (a) { known[a.number] = true; });
      return;
    }
    var fresh = now.filter(function (a) { return !known[a.number]; });
    fresh.forEach(function (a) { known[a.number] = true; });
    if (!fresh.length) return;
    var banner = document.getElementById("alarm");
    if (banner) {
      banner.querySelector(".alarm-text").textContent = "新警情：" + fresh.map(function (a) {
        return a.number + " " + a.title;
      }).join("；");
      banner.hidden = false;
      banner.classList.remove("flash");
      void banner.offsetWidth;
      banner.classList.add("flash");
    }
    fresh.forEach(function (a) {
      var row = document.querySelector('[data-alarm="' + a.number + '"]');
      if (row) row.classList.add("fresh");
    });
    beep();
  }

  document.addEventListener("DOMContentLoaded", checkAlarms);
  document.addEventListener("htmx:afterSettle", checkAlarms);
  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-dismiss-alarm]")) document.getElementById("alarm").hidden = true;
    if (beep.ctx && beep.ctx.state === "suspended") beep.ctx.resume();
  });
})();
