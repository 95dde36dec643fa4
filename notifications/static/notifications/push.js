// Web push opt-in: registers the service worker and posts the subscription. No inline script (CSP).
(function () {
  var button = document.getElementById('push-enable');
  if (!button || !('serviceWorker' in navigator) || !('PushManager' in window)) { return; }
  button.hidden = false;
  function keyBytes(base64) {
    var padded = (base64 + '===='.slice((base64.length % 4) || 4)).replace(/-/g, '+').replace(/_/g, '/');
    var raw = atob(padded), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out;
  }
  function csrf() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (m) { return decodeURIComponent(m[1]); }
    var input = document.querySelector('input[name=csrfmiddlewaretoken]');
    return input ? input.value : '';
  }
  button.addEventListener('click', function () {
    navigator.serviceWorker.register(button.dataset.worker, {scope: '/'}).then(function (reg) {
      return reg.pushManager.subscribe({userVisibleOnly: true, applicationServerKey: keyBytes(button.dataset.key)});
    }).then(function (sub) {
      return fetch(button.dataset.subscribe, {
        method: 'POST', credentials: 'same-origin',
        headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrf()},
        body: JSON.stringify(sub)
      });
    }).then(function () { window.location.reload(); });
  });
})();
