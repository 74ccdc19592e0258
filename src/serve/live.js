// Live reload for `praxis serve` (never part of a built site): reloads the
// page after each good rebuild and shows build errors over the page until
// they are fixed.
(function () {
  'use strict';
  if (!window.EventSource) return;
  var overlay = null;

  function stylesheet() {
    if (document.getElementById('praxis-live-css')) return;
    var link = document.createElement('link');
    link.id = 'praxis-live-css';
    link.rel = 'stylesheet';
    link.href = '/__praxis/live.css';
    document.head.appendChild(link);
  }

  function showErrors(text) {
    stylesheet();
    if (!overlay) {
      overlay = document.createElement('div');
      overlay.id = 'praxis-errors';
      overlay.setAttribute('role', 'alertdialog');
      overlay.setAttribute('aria-labelledby', 'praxis-errors-title');
      var title = document.createElement('h2');
      title.id = 'praxis-errors-title';
      title.textContent = 'The site did not build';
      var note = document.createElement('p');
      note.textContent = 'You are seeing the last good version. Fix these problems and save; this page reloads by itself.';
      var pre = document.createElement('pre');
      var close = document.createElement('button');
      close.type = 'button';
      close.textContent = 'Hide';
      close.addEventListener('click', function () { overlay.hidden = true; });
      overlay.append(title, note, pre, close);
      document.body.appendChild(overlay);
    }
    overlay.querySelector('pre').textContent = text;
    overlay.hidden = false;
  }

  var source = new EventSource('/__praxis/events');
  source.addEventListener('reload', function () { window.location.reload(); });
  source.addEventListener('errors', function (event) { showErrors(event.data); });
})();
