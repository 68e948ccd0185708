// The local-mode LINE simulator page: one self-contained HTML document (no external assets).
// Every text that comes from a message is put into the DOM with textContent, never as HTML.

const STYLE = `
*{box-sizing:border-box}
[hidden]{display:none!important}
html,body{margin:0;height:100%;font-family:system-ui,-apple-system,"Segoe UI","Hiragino Sans","Noto Sans JP","Noto Sans KR",sans-serif;font-size:14px;color:#111;background:#dfe3e8}
.app{max-width:560px;height:100vh;height:100dvh;margin:0 auto;display:flex;flex-direction:column;background:#7494c0;box-shadow:0 0 24px rgba(0,0,0,.18)}
.top{background:#273246;color:#fff;padding:10px 12px 8px}
.title{display:flex;align-items:center;gap:8px;font-weight:700;font-size:16px}
.badge{font-size:10px;font-weight:700;letter-spacing:.06em;background:#06c755;color:#fff;border-radius:4px;padding:2px 6px}
.users{display:flex;flex-wrap:wrap;align-items:center;gap:6px;margin-top:8px;font-size:12px}
.users label{opacity:.8}
.users select{max-width:220px;font:inherit;font-family:ui-monospace,Menlo,Consolas,monospace;padding:3px 4px;border-radius:6px;border:0}
.top button{font:inherit;font-size:12px;border:1px solid rgba(255,255,255,.35);background:transparent;color:#fff;border-radius:6px;padding:3px 8px;cursor:pointer}
.top button:hover{background:rgba(255,255,255,.12)}
.enter{display:flex;gap:6px;margin-top:6px}
.enter input{flex:1;font:inherit;font-family:ui-monospace,Menlo,Consolas,monospace;padding:4px 6px;border-radius:6px;border:0}
.offline{background:#b00020;color:#fff;font-size:12px;padding:6px 12px}
.scroll{flex:1;overflow-y:auto;padding:12px 10px 6px}
.hint{color:#fff;text-align:center;font-size:13px;opacity:.9;margin:4px 12px 16px;line-height:1.6}
.log{display:flex;flex-direction:column;gap:10px}
.row{display:flex;align-items:flex-end;gap:6px;max-width:100%}
.row.user{flex-direction:row-reverse}
.meta{font-size:10px;color:#eef2f8;white-space:nowrap;flex-shrink:0}
.bubble{max-width:78%;padding:8px 11px;border-radius:16px;background:#fff;white-space:pre-wrap;overflow-wrap:anywhere;line-height:1.45}
.row.user .bubble{background:#85e249}
.row.bot .bubble{border-top-left-radius:4px}
.row.user .bubble{border-top-right-radius:4px}
.note{align-self:center;font-size:11px;color:#fff;background:rgba(0,0,0,.22);border-radius:10px;padding:3px 10px;text-align:center}
.photo{max-width:220px;max-height:260px;border-radius:12px;display:block;background:#fff;cursor:pointer}
.typing{display:inline-block;margin:10px 0 0;background:#fff;border-radius:16px;padding:6px 12px;font-weight:700;letter-spacing:2px;color:#666}
.flex{max-width:86%;min-width:0}
.carousel{display:flex;gap:8px;overflow-x:auto;padding-bottom:4px;max-width:100%}
.card{background:#fff;border-radius:14px;overflow:hidden;width:280px;flex-shrink:0;max-width:100%}
.section.header,.section.body,.section.footer{padding:12px 14px}
.section.footer{padding-top:0}
.section.hero img{display:block;width:100%;height:auto}
.box{display:flex;min-width:0}
.box.vertical{flex-direction:column}
.box.horizontal,.box.baseline{flex-direction:row}
.box.baseline{align-items:baseline}
.box.horizontal>*,.box.baseline>*{flex:1 1 0;min-width:0}
.text{white-space:pre-wrap;overflow-wrap:anywhere;line-height:1.4}
.separator{border:0;border-top:1px solid #e4e4e4;margin:8px 0;width:100%}
.fimg{max-width:100%;display:block}
.filler{flex:1}
.fbtn{font:inherit;font-size:14px;border:0;border-radius:8px;padding:8px 10px;cursor:pointer;width:100%;margin-top:6px}
.fbtn.primary{background:#06c755;color:#fff;font-weight:600}
.fbtn.secondary{background:#eef0f3;color:#111}
.fbtn.link{background:transparent;color:#2a6bd1}
.tappable{cursor:pointer}
.quick{display:flex;gap:6px;overflow-x:auto;padding:8px 10px;background:rgba(255,255,255,.92);border-top:1px solid #c9d2de}
.quick button{flex-shrink:0;font:inherit;font-size:13px;background:#fff;color:#06a847;border:1.5px solid #06c755;border-radius:18px;padding:6px 12px;cursor:pointer;white-space:nowrap}
.quick button:hover{background:#eafbef}
.composer{display:flex;gap:6px;align-items:center;padding:8px;background:#fff;border-top:1px solid #d0d6de}
.composer input[type=text]{flex:1;font:inherit;font-size:15px;padding:9px 12px;border:1px solid #ccd3dc;border-radius:20px;outline:none;min-width:0}
.composer input[type=text]:focus{border-color:#06c755}
.composer button{font:inherit;border:0;border-radius:20px;padding:9px 14px;cursor:pointer;background:#06c755;color:#fff;font-weight:600}
.composer .icon{background:#eef0f3;color:#333;padding:7px 9px;line-height:0}
.toast{position:fixed;left:50%;bottom:90px;transform:translateX(-50%);background:rgba(20,20,20,.88);color:#fff;padding:8px 14px;border-radius:8px;font-size:13px;max-width:90vw;z-index:10}
.toast.error{background:#b00020}
.modal{position:fixed;inset:0;background:rgba(0,0,0,.45);display:flex;align-items:center;justify-content:center;z-index:20}
.dialog{background:#fff;border-radius:12px;padding:16px;width:min(420px,92vw)}
.dialog h2{font-size:15px;margin:0 0 8px}
.dialog p{margin:0 0 8px;color:#555;font-size:12px}
.dialog pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f4f6f8;border-radius:8px;padding:10px;font:inherit;max-height:40vh;overflow:auto}
.dialog .actions{display:flex;justify-content:flex-end;gap:8px;margin-top:10px}
.dialog button{font:inherit;border:0;border-radius:8px;padding:7px 14px;cursor:pointer;background:#eef0f3}
.dialog button.primary{background:#06c755;color:#fff}
`;

const BODY = `
<div class="app">
  <header class="top">
    <div class="title">LINE simulator <span class="badge">LOCAL MODE</span></div>
    <div class="users">
      <label for="user-select">Chatting as</label>
      <select id="user-select"></select>
      <button id="copy-user" type="button" title="Copy this user id">Copy id</button>
      <button id="new-user" type="button" title="Add another LINE user (e.g. to try invites and access control)">+ New user</button>
      <button id="enter-user" type="button">Enter id…</button>
      <button id="follow" type="button" title="Send a follow event, as when someone adds the bot as a friend">Follow</button>
    </div>
    <form id="enter-user-form" class="enter" hidden>
      <input id="enter-user-id" type="text" placeholder="U followed by letters or digits" aria-label="User id" autocomplete="off">
      <button type="submit">Use</button>
    </form>
  </header>
  <div id="offline" class="offline" hidden>The server is not answering. Is <code>npm start</code> still running?</div>
  <main id="scroll" class="scroll">
    <div class="hint">This is a local LINE chat with the bot: messages go through the real signed webhook.<br>Try <b>help</b>, <b>quick</b> or <b>language</b>.<br><br>The first user owns the Demo shop. To try access control, add a user (+ New user): it is a guest until it sends <b>join &lt;CODE&gt;</b> with an invite code from the shop.</div>
    <div id="log" class="log" aria-live="polite"></div>
    <div id="typing" class="typing" hidden aria-label="The bot is answering">•••</div>
  </main>
  <div id="quick-replies" class="quick" hidden></div>
  <form id="composer" class="composer">
    <button id="photo-button" class="icon" type="button" title="Send a photo" aria-label="Send a photo"><svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M9 3 7.2 5H4a2 2 0 0 0-2 2v11a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2h-3.2L15 3H9zm3 5a5 5 0 1 1 0 10 5 5 0 0 1 0-10zm0 2a3 3 0 1 0 0 6 3 3 0 0 0 0-6z"/></svg></button>
    <input id="photo" type="file" accept="image/*" hidden>
    <input id="text" type="text" placeholder="Type a message (try: help)" aria-label="Message" autocomplete="off" maxlength="5000">
    <button id="send" type="submit">Send</button>
  </form>
  <div id="toast" class="toast" role="status" hidden></div>
  <div id="share" class="modal" hidden>
    <div class="dialog" role="dialog" aria-labelledby="share-title">
      <h2 id="share-title">Share</h2>
      <p>In LINE this opens the friend picker to forward this message:</p>
      <pre id="share-text"></pre>
      <div class="actions"><button id="share-copy" type="button" class="primary">Copy text</button><button id="share-close" type="button">Close</button></div>
    </div>
  </div>
</div>
`;

// Plain ES2017 without template literals, so it can live inside this TypeScript template string.
const SCRIPT = `
(function () {
  'use strict';
  var USERS_KEY = 'lineSimulator.users';
  var CURRENT_KEY = 'lineSimulator.currentUser';
  var USER_ID = /^U[0-9A-Za-z_-]{1,64}$/;
  var IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic', 'image/heif'];
  var SIZES = { xxs: '11px', xs: '12px', sm: '13px', md: '14px', lg: '16px', xl: '19px', xxl: '22px', '3xl': '26px', '4xl': '30px', '5xl': '36px' };
  var SPACING = { none: '0', xs: '2px', sm: '4px', md: '8px', lg: '12px', xl: '16px', xxl: '20px' };
  var WAIT_MS = 15000;

  function $(id) { return document.getElementById(id); }
  var log = $('log'), scroll = $('scroll'), typing = $('typing'), quick = $('quick-replies');
  var select = $('user-select'), textInput = $('text'), photoInput = $('photo'), toastBox = $('toast');

  function el(tag, className) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    return node;
  }
  function safeUrl(value) {
    try {
      var url = new URL(String(value));
      return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
    } catch (error) { return null; }
  }
  function safeColor(value) {
    return typeof value === 'string' && /^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/.test(value) ? value : null;
  }
  function clock(at) {
    var date = new Date(at);
    return String(date.getHours()).padStart(2, '0') + ':' + String(date.getMinutes()).padStart(2, '0');
  }

  var toastTimer = 0;
  function toast(message, isError) {
    toastBox.textContent = message;
    toastBox.className = isError ? 'toast error' : 'toast';
    toastBox.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { toastBox.hidden = true; }, isError ? 6000 : 2200);
  }

  function copyText(text) {
    function fallback() {
      var area = el('textarea');
      area.value = text;
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (error) { ok = false; }
      area.remove();
      toast(ok ? 'Copied to the clipboard' : 'Could not copy', !ok);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { toast('Copied to the clipboard'); }, fallback);
    } else {
      fallback();
    }
  }

  // ---- users ----
  function newUserId() {
    var bytes = new Uint8Array(14);
    crypto.getRandomValues(bytes);
    return ('Ulocal' + Array.from(bytes, function (b) { return b.toString(16).padStart(2, '0'); }).join('')).slice(0, 33);
  }
  function loadUsers() {
    try {
      var list = JSON.parse(localStorage.getItem(USERS_KEY) || '[]');
      return Array.isArray(list) ? list.filter(function (id) { return typeof id === 'string' && USER_ID.test(id); }) : [];
    } catch (error) { return []; }
  }
  function saveUsers() { localStorage.setItem(USERS_KEY, JSON.stringify(users)); }
  function fillUserSelect() {
    select.textContent = '';
    users.forEach(function (id, index) {
      var option = el('option');
      option.value = id;
      option.textContent = 'User ' + (index + 1) + ' · ' + id;
      select.appendChild(option);
    });
    select.value = view.userId;
  }

  var users = loadUsers();
  var firstVisit = users.length === 0;
  if (firstVisit) { users = [newUserId()]; saveUsers(); }
  var stored = localStorage.getItem(CURRENT_KEY);
  var view = {
    userId: stored && users.indexOf(stored) >= 0 ? stored : users[0],
    generation: 0,
    lastAt: 0,
    seen: new Set(),
    waitingSince: 0,
    waitingStartedAt: 0,
  };

  function switchUser(id) {
    view.generation += 1;
    view.userId = id;
    view.lastAt = 0;
    view.seen = new Set();
    view.waitingSince = 0;
    view.waitingStartedAt = 0;
    log.textContent = '';
    typing.hidden = true;
    showQuickReplies(null);
    localStorage.setItem(CURRENT_KEY, id);
    fillUserSelect();
    pollNow();
  }
  function addUser(id, follow) {
    if (users.indexOf(id) < 0) { users.push(id); saveUsers(); }
    switchUser(id);
    if (follow) send({ follow: true });
  }

  // ---- timeline ----
  function nearBottom() { return scroll.scrollHeight - scroll.scrollTop - scroll.clientHeight < 120; }
  // Keeps the chat in time order even when a poll and a send answer arrive out of order.
  function place(node, at, order) {
    node.dataset.at = String(at);
    node.dataset.order = String(order);
    var stick = nearBottom();
    var before = null;
    for (var child = log.lastElementChild; child; child = child.previousElementSibling) {
      var childAt = Number(child.dataset.at);
      if (childAt < at || (childAt === at && Number(child.dataset.order) <= order)) break;
      before = child;
    }
    log.insertBefore(node, before);
    refreshQuickReplies();
    if (stick || order === 0) scroll.scrollTop = scroll.scrollHeight;
  }
  function row(side, content, metaText) {
    var line = el('div', 'row ' + side);
    line.appendChild(content);
    var meta = el('span', 'meta');
    meta.textContent = metaText;
    line.appendChild(meta);
    return line;
  }
  function note(text) {
    var node = el('div', 'note');
    node.textContent = text;
    return node;
  }

  function renderSent(entry) {
    if (entry.kind === 'follow') return note('You added the bot as a friend (follow event)');
    if (entry.kind === 'postback' && !entry.text) return note('You tapped a button (postback)');
    if (entry.kind === 'image') {
      var img = el('img', 'photo');
      img.alt = 'Photo you sent';
      img.src = '/dev/api/content/' + encodeURIComponent(entry.messageId);
      return row('user', img, clock(entry.at));
    }
    var bubble = el('div', 'bubble');
    bubble.textContent = entry.text;
    return row('user', bubble, clock(entry.at));
  }

  function renderBot(item) {
    var message = item.message || {};
    var meta = (item.via === 'push' ? 'push · ' : '') + clock(item.at);
    var node;
    if (message.type === 'text') {
      node = el('div', 'bubble');
      node.textContent = message.text || '';
    } else if (message.type === 'flex') {
      node = el('div', 'flex');
      node.title = message.altText || '';
      node.appendChild(flexContainer(message.contents || {}));
    } else if (message.type === 'image') {
      var preview = safeUrl(message.previewImageUrl || message.originalContentUrl);
      var original = safeUrl(message.originalContentUrl) || preview;
      if (preview) {
        node = el('img', 'photo');
        node.alt = 'Image from the bot';
        node.src = preview.href;
        node.addEventListener('click', function () { openUri(original.href); });
      } else {
        node = el('div', 'bubble');
        node.textContent = '[image]';
      }
    } else {
      node = el('div', 'bubble');
      node.textContent = '[' + String(message.type) + ' message] ' + (message.altText || message.text || '');
    }
    var line = row('bot', node, meta);
    line.quickItems = message.quickReply && Array.isArray(message.quickReply.items) ? message.quickReply.items : null;
    return line;
  }

  // ---- Flex (simplified but faithful enough to read and tap) ----
  function flexContainer(container) {
    if (container.type === 'carousel') {
      var strip = el('div', 'carousel');
      (container.contents || []).forEach(function (bubble) { strip.appendChild(flexBubble(bubble)); });
      return strip;
    }
    return flexBubble(container);
  }
  function flexBubble(bubble) {
    var card = el('div', 'card');
    ['header', 'hero', 'body', 'footer'].forEach(function (part) {
      if (!bubble[part]) return;
      var rendered = flexComponent(bubble[part]);
      if (!rendered) return;
      var section = el('div', 'section ' + part);
      section.appendChild(rendered);
      card.appendChild(section);
    });
    return card;
  }
  function styleText(node, component) {
    if (component.weight === 'bold') node.style.fontWeight = '700';
    if (component.style === 'italic') node.style.fontStyle = 'italic';
    if (SIZES[component.size]) node.style.fontSize = SIZES[component.size];
    var color = safeColor(component.color);
    if (color) node.style.color = color;
    if (component.decoration === 'line-through' || component.decoration === 'underline') node.style.textDecoration = component.decoration;
    if (component.align === 'center' || component.align === 'end') node.style.textAlign = component.align === 'end' ? 'right' : 'center';
  }
  function tappable(node, action) {
    if (!action) return;
    node.classList.add('tappable');
    node.addEventListener('click', function (event) { event.stopPropagation(); runAction(action); });
  }
  function flexComponent(component) {
    var node = null;
    switch (component.type) {
      case 'box':
        node = el('div', 'box ' + (component.layout === 'horizontal' || component.layout === 'baseline' ? component.layout : 'vertical'));
        (component.contents || []).forEach(function (child) {
          var rendered = flexComponent(child);
          if (rendered) node.appendChild(rendered);
        });
        if (SPACING[component.spacing]) node.style.gap = SPACING[component.spacing];
        var background = safeColor(component.backgroundColor);
        if (background) node.style.backgroundColor = background;
        tappable(node, component.action);
        break;
      case 'text':
        node = el('div', 'text');
        if (Array.isArray(component.contents) && component.contents.length > 0) {
          component.contents.forEach(function (span) {
            var part = el('span');
            part.textContent = span.text || '';
            styleText(part, span);
            node.appendChild(part);
          });
        } else {
          node.textContent = component.text || '';
        }
        styleText(node, component);
        tappable(node, component.action);
        break;
      case 'button':
        node = el('button', 'fbtn ' + (component.style === 'primary' || component.style === 'secondary' ? component.style : 'link'));
        node.type = 'button';
        node.textContent = (component.action && component.action.label) || 'Button';
        var buttonColor = safeColor(component.color);
        if (buttonColor && component.style === 'primary') node.style.backgroundColor = buttonColor;
        if (buttonColor && component.style !== 'primary') node.style.color = buttonColor;
        var action = component.action;
        node.addEventListener('click', function () { runAction(action); });
        break;
      case 'image':
        var url = safeUrl(component.url);
        if (!url) return null;
        node = el('img', 'fimg');
        node.alt = '';
        node.src = url.href;
        var ratio = /^(\\d+(?:\\.\\d+)?):(\\d+(?:\\.\\d+)?)$/.exec(component.aspectRatio || '');
        if (ratio) { node.style.aspectRatio = ratio[1] + ' / ' + ratio[2]; node.style.width = '100%'; }
        node.style.objectFit = component.aspectMode === 'cover' ? 'cover' : 'contain';
        tappable(node, component.action);
        break;
      case 'separator':
        return el('hr', 'separator');
      case 'filler':
      case 'spacer':
        return el('div', 'filler');
      default:
        return null;
    }
    if (typeof component.flex === 'number') node.style.flex = component.flex + ' 1 0';
    if (SPACING[component.margin]) node.style.marginTop = SPACING[component.margin];
    return node;
  }

  // ---- actions (buttons, quick replies) ----
  function openUri(uri) {
    var url = safeUrl(uri);
    if (!url) { toast('The simulator only opens http(s) links: ' + String(uri), true); return; }
    if (url.hostname === 'line.me' && url.pathname.indexOf('/R/share') === 0) {
      $('share-text').textContent = url.searchParams.get('text') || '';
      $('share').hidden = false;
      return;
    }
    window.open(url.href, '_blank', 'noopener');
  }
  function runAction(action) {
    if (!action) return;
    switch (action.type) {
      case 'postback': send({ postbackData: action.data, displayText: action.displayText }); break;
      case 'message': send({ text: action.text }); break;
      case 'uri': openUri(action.uri); break;
      case 'clipboard': copyText(action.clipboardText || ''); break;
      case 'camera':
      case 'cameraRoll': photoInput.click(); break;
      default: toast('The simulator does not support "' + String(action.type) + '" actions', true);
    }
  }
  function showQuickReplies(items) {
    quick.textContent = '';
    if (!items || items.length === 0) { quick.hidden = true; return; }
    items.forEach(function (item) {
      if (!item || !item.action) return;
      var button = el('button');
      button.type = 'button';
      button.textContent = item.action.label || item.action.text || item.action.type;
      button.addEventListener('click', function () { runAction(item.action); });
      quick.appendChild(button);
    });
    quick.hidden = false;
  }
  // Like LINE: quick replies belong to the newest message and vanish once anything follows it.
  function refreshQuickReplies() {
    var last = log.lastElementChild;
    showQuickReplies(last && last.quickItems ? last.quickItems : null);
  }

  // ---- server ----
  function ingest(data) {
    var perMillisecond = {};
    var botArrived = false;
    (data.sent || []).forEach(function (entry) {
      var key = 'u' + entry.id;
      if (view.seen.has(key)) return;
      view.seen.add(key);
      place(renderSent(entry), entry.at, 0);
      view.lastAt = Math.max(view.lastAt, entry.at);
    });
    (data.messages || []).forEach(function (item) {
      // Messages of one millisecond are numbered in order: the list only grows, so the numbers are stable.
      perMillisecond[item.at] = (perMillisecond[item.at] || 0) + 1;
      var key = 'b' + item.at + '#' + perMillisecond[item.at];
      if (view.seen.has(key)) return;
      view.seen.add(key);
      place(renderBot(item), item.at, 1);
      view.lastAt = Math.max(view.lastAt, item.at);
      if (view.waitingSince && item.at >= view.waitingSince) botArrived = true;
    });
    if (botArrived) view.waitingSince = 0;
    typing.hidden = !isWaiting();
  }

  // The server's clock dates messages; the page's clock bounds how long the dots are shown.
  function isWaiting() { return view.waitingSince > 0 && Date.now() - view.waitingStartedAt < WAIT_MS; }

  var pollTimer = 0, polling = false, pollAgain = false;
  function schedulePoll() {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(poll, isWaiting() ? 300 : 1500);
  }
  function pollNow() {
    if (polling) { pollAgain = true; return; }
    clearTimeout(pollTimer);
    poll();
  }
  function poll() {
    polling = true;
    var generation = view.generation;
    // Re-asks for the newest millisecond too; the seen-keys drop what is already shown.
    var since = view.lastAt > 0 ? view.lastAt - 1 : 0;
    fetch('/dev/api/messages?userId=' + encodeURIComponent(view.userId) + '&since=' + since, { cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json();
      })
      .then(function (data) {
        $('offline').hidden = true;
        if (generation === view.generation) ingest(data);
      })
      .catch(function () { $('offline').hidden = false; })
      .then(function () {
        polling = false;
        if (pollAgain) { pollAgain = false; poll(); } else { schedulePoll(); }
      });
  }

  function send(payload) {
    payload.userId = view.userId;
    var generation = view.generation;
    showQuickReplies(null);
    return fetch('/dev/api/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (response.status === 413) throw new Error('the photo is too large for the simulator');
          if (!response.ok) throw new Error((body.error || 'HTTP ' + response.status) + (body.issues ? ' (' + body.issues.join('; ') + ')' : ''));
          return body;
        });
      })
      .then(function (body) {
        if (generation !== view.generation) return;
        view.waitingSince = body.sent.at;
        view.waitingStartedAt = Date.now();
        ingest({ sent: [body.sent], messages: [] });
        pollNow();
      })
      .catch(function (error) {
        toast('Not sent: ' + error.message, true);
        refreshQuickReplies();
      });
  }

  function sendPhoto(file) {
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () {
      var dataUrl = String(reader.result);
      var base64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
      send({ imageBase64: base64, contentType: IMAGE_TYPES.indexOf(file.type) >= 0 ? file.type : 'image/jpeg' });
    };
    reader.onerror = function () { toast('Could not read that file', true); };
    reader.readAsDataURL(file);
  }

  // ---- wiring ----
  $('composer').addEventListener('submit', function (event) {
    event.preventDefault();
    var text = textInput.value;
    if (!text.trim()) return;
    textInput.value = '';
    send({ text: text });
  });
  $('photo-button').addEventListener('click', function () { photoInput.click(); });
  photoInput.addEventListener('change', function () {
    sendPhoto(photoInput.files && photoInput.files[0]);
    photoInput.value = '';
  });
  select.addEventListener('change', function () { switchUser(select.value); });
  $('copy-user').addEventListener('click', function () { copyText(view.userId); });
  $('new-user').addEventListener('click', function () { addUser(newUserId(), true); });
  $('follow').addEventListener('click', function () { send({ follow: true }); });
  $('enter-user').addEventListener('click', function () {
    var form = $('enter-user-form');
    form.hidden = !form.hidden;
    if (!form.hidden) $('enter-user-id').focus();
  });
  $('enter-user-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var id = $('enter-user-id').value.trim();
    if (!USER_ID.test(id)) { toast('A user id is U followed by letters or digits, e.g. Ualice', true); return; }
    $('enter-user-form').hidden = true;
    $('enter-user-id').value = '';
    addUser(id, false);
  });
  $('share-close').addEventListener('click', function () { $('share').hidden = true; });
  $('share-copy').addEventListener('click', function () { copyText($('share-text').textContent); $('share').hidden = true; });

  fillUserSelect();
  switchUser(view.userId);
  // A brand-new user "adds the bot as a friend", which is how a LINE chat begins.
  if (firstVisit) send({ follow: true });
  textInput.focus();
})();
`;

/** The simulator page; `nonce` authorises its inline style and script under the page's CSP. */
export function simulatorPage(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>LINE simulator · local mode</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>${BODY}<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>
`;
}
