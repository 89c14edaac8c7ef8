// Live pages (graphkit watch): reload when graphkit rewrites this page's file.
// A page opened from file:// cannot read its own file, and its Content-Security-Policy
// forbids fetch and any script without the page's nonce. So graphkit writes, after
// each page, a sibling script PAGE.live.js that calls graphkitLive("<generation>"); this
// script loads it every few seconds as a <script> carrying the page's own nonce (the
// only kind the policy allows; nothing outside the page's folder is ever asked for)
// and reloads the page when the generation is no longer the one it was written with.
(function () {
  "use strict";
  const live = window.graphkit && window.graphkit.data.meta.live;
  const nonce = document.currentScript && document.currentScript.nonce;
  if (!live || !nonce) return;
  let reloading = false;
  window.graphkitLive = (generation) => {
    if (generation !== live.generation && !reloading) {
      reloading = true;
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
  window.setInterval(check, Math.max(1, live.every) * 1000);
})();
