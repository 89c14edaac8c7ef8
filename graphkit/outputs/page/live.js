// Live pages (graphkit watch): reload when graphkit rewrites this page's file.
// A page opened from file:// cannot read its own file, and its Content-Security-Policy
// forbids fetch and any script without the page's nonce. So graphkit writes, after
// each page, a sibling script PAGE.live.js that calls graphkitLive("<generation>"); this
// script loads it every few seconds as a <script> carrying the page's own nonce (the
// only kind the policy allows; nothing outside the page's folder is ever asked for)
// and reloads the page when the generation is no longer the one it was written with.
// The entity being read and the view are kept across the reload (sessionStorage).
(function () {
  "use strict";
  const live = window.graphkit && window.graphkit.data.meta.live;
  const nonce = document.currentScript && document.currentScript.nonce;
  if (!live || !nonce) return;
  const graphkit = window.graphkit;
  const saved = `graphkit-live:${live.src}`;
  let reloading = false;

  function remember() {
    try {
      const panel = document.getElementById("panel");
      const node = panel && !panel.hidden ? graphkit.data.nodes[graphkit.shown] : null;
      const network = graphkit.network;
      const view = network ? { scale: network.getScale(), position: network.getViewPosition() } : null;
      window.sessionStorage.setItem(saved, JSON.stringify({ key: node ? node.key : null, view }));
    } catch (err) {
      // storage refused (private mode, quota): the page reloads without its view
    }
  }

  function restore() {
    let state = null;
    try {
      state = JSON.parse(window.sessionStorage.getItem(saved) || "null");
      window.sessionStorage.removeItem(saved);
    } catch (err) {
      return;
    }
    if (!state) return;
    const waiting = window.setInterval(() => {
      if (!graphkit.ready) return;
      window.clearInterval(waiting);
      const index = graphkit.data.nodes.findIndex((node) => node.key === state.key);
      if (index >= 0) graphkit.select(index, { animate: false });
      const view = state.view;
      if (view && Number.isFinite(view.scale) && view.position) {
        graphkit.network.moveTo({ scale: view.scale, position: view.position, animation: false });
      }
    }, 100);
  }

  window.graphkitLive = (generation) => {
    if (generation !== live.generation && !reloading) {
      reloading = true;
      remember();
      window.location.reload();
    }
  };
  function check() {
    const probe = document.createElement("script");
    probe.nonce = nonce;
    probe.src = `${encodeURIComponent(live.src)}?t=${Date.now()}`;
    probe.onload = probe.onerror = () => probe.remove();
    document.head.appendChild(probe);
  }
  restore();
  window.setInterval(check, Math.max(1, live.every) * 1000);
})();
