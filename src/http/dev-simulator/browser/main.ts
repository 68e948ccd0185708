import type { SimulatorLabels, SimulatorLanguage, SimulatorSetup } from '../setup.js';
import { byId, el, linkedText, safeUrl } from './dom.js';
import { flexContainer } from './flex.js';
import type { BotMessage, LineAction, QuickReplyItem, SentEntry } from './line-types.js';

const USERS_KEY = 'lineSimulator.users';
const CURRENT_KEY = 'lineSimulator.currentUser';
const LANGUAGE_KEY = 'lineSimulator.language';
const GROUP_KEY = 'lineSimulator.groupId';
const GROUP_ID = /^C[0-9A-Za-z_-]{1,64}$/;
// The simulated group: the first users (the shop owner first), as many as a small LINE group to try.
const GROUP_SIZE = 3;
const USER_ID = /^U[0-9A-Za-z_-]{1,64}$/;
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic', 'image/heif'];
const LANGUAGES: readonly SimulatorLanguage[] = ['ja', 'en', 'ko'];
const WAIT_MS = 15000;

/** A simulated LINE user: its id and the display name its LINE profile shows the bot. */
interface SimulatedUser {
  id: string;
  name: string;
}

/** A chat row, remembering the quick replies of the message it shows. */
type ChatRow = HTMLElement & { quickItems?: QuickReplyItem[] | null };

const log = byId('log');
const scroll = byId('scroll');
const typing = byId('typing');
const quick = byId('quick-replies');
const select = byId<HTMLSelectElement>('user-select');
const languageSelect = byId<HTMLSelectElement>('sim-language');
const textInput = byId<HTMLInputElement>('text');
const photoInput = byId<HTMLInputElement>('photo');
const toastBox = byId('toast');
const richMenu = byId('rich-menu');
const menuToggle = byId<HTMLButtonElement>('menu-toggle');
const chatSelect = byId<HTMLSelectElement>('chat-select');
const groupJoin = byId<HTMLButtonElement>('group-join');

let setup: SimulatorSetup | null = null;
let language: SimulatorLanguage = initialLanguage();

// ---- texts ----
function initialLanguage(): SimulatorLanguage {
  const stored = localStorage.getItem(LANGUAGE_KEY);
  if (stored && (LANGUAGES as readonly string[]).includes(stored)) return stored as SimulatorLanguage;
  const primary = (navigator.language || '').toLowerCase().split('-')[0] ?? '';
  return (LANGUAGES as readonly string[]).includes(primary) ? (primary as SimulatorLanguage) : 'en';
}

function labels(): SimulatorLabels {
  return setup?.labels[language] ?? {};
}

/** The text for `key` in the chosen language, `{{name}}` filled from `params`; the key itself before the setup has loaded. */
function t(key: string, params: Record<string, string | number> = {}): string {
  const template = labels()[key] ?? key;
  return template.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => String(params[name] ?? ''));
}

/** Fills every data-label(-title/-placeholder/-aria) of the page in the chosen language. */
function applyLabels(): void {
  if (!setup) return;
  document.documentElement.lang = language;
  document.title = `${t('title')} · ${t('badge')}`;
  document.querySelectorAll<HTMLElement>('[data-label]').forEach((node) => {
    node.textContent = t(node.dataset.label ?? '');
  });
  document.querySelectorAll<HTMLElement>('[data-label-title]').forEach((node) => {
    node.title = t(node.dataset.labelTitle ?? '');
  });
  document.querySelectorAll<HTMLInputElement>('[data-label-placeholder]').forEach((node) => {
    node.placeholder = t(node.dataset.labelPlaceholder ?? '');
  });
  document.querySelectorAll<HTMLElement>('[data-label-aria]').forEach((node) => {
    node.setAttribute('aria-label', t(node.dataset.labelAria ?? ''));
  });
  menuToggle.title = t(richMenu.hidden ? 'menuShow' : 'menuHide');
  renderRichMenu();
  renderGroupBar();
}

// ---- toasts and the clipboard ----
let toastTimer = 0;
function toast(message: string, isError = false): void {
  toastBox.textContent = message;
  toastBox.className = isError ? 'toast error' : 'toast';
  toastBox.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = window.setTimeout(
    () => {
      toastBox.hidden = true;
    },
    isError ? 6000 : 2200,
  );
}

function copyText(text: string): void {
  const fallback = () => {
    const area = el('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    area.remove();
    toast(ok ? t('copied') : t('copyFailed'), !ok);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(() => toast(t('copied')), fallback);
  } else {
    fallback();
  }
}

// ---- users ----
function newUserId(): string {
  const bytes = new Uint8Array(14);
  crypto.getRandomValues(bytes);
  return `Ulocal${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`.slice(0, 33);
}

/** This browser's simulated LINE group (LINE's group ids are C and 32 hex digits). */
function groupId(): string {
  const stored = localStorage.getItem(GROUP_KEY);
  if (stored && GROUP_ID.test(stored)) return stored;
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  const id = `C${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
  localStorage.setItem(GROUP_KEY, id);
  return id;
}

function groupMembers(): SimulatedUser[] {
  return users.slice(0, GROUP_SIZE);
}

function nameOf(userId: string): string {
  return users.find((user) => user.id === userId)?.name ?? userId.slice(0, 12);
}

function defaultName(number: number): string {
  return setup ? t('defaultName', { number }) : `User ${number}`;
}

/** Stored users; the first simulator versions stored bare ids, which get default names. */
function loadUsers(): SimulatedUser[] {
  try {
    const list: unknown = JSON.parse(localStorage.getItem(USERS_KEY) ?? '[]');
    if (!Array.isArray(list)) return [];
    return list.flatMap((entry: unknown, index) => {
      if (typeof entry === 'string') return USER_ID.test(entry) ? [{ id: entry, name: defaultName(index + 1) }] : [];
      if (typeof entry !== 'object' || entry === null) return [];
      const { id, name } = entry as Partial<SimulatedUser>;
      return typeof id === 'string' && USER_ID.test(id) && typeof name === 'string' && name.trim() !== '' ? [{ id, name }] : [];
    });
  } catch {
    return [];
  }
}

function saveUsers(): void {
  localStorage.setItem(USERS_KEY, JSON.stringify(users));
}

function fillUserSelect(): void {
  select.textContent = '';
  // In the group chat, one of its members speaks.
  for (const user of view.group ? groupMembers() : users) {
    const option = el('option');
    option.value = user.id;
    option.textContent = `${user.name} · ${user.id.slice(0, 12)}…`;
    select.appendChild(option);
  }
  select.value = view.userId;
}

/** Tells the LINE API stub this user's profile, which the bot reads (display name, first language). */
async function registerProfile(user: SimulatedUser): Promise<void> {
  const response = await fetch('/dev/api/users', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: user.id, displayName: user.name, language }),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
}

let users: SimulatedUser[] = [];
const view = {
  userId: '',
  /** The group chat is shown (else the user's 1:1 chat with the bot). */
  group: false,
  /** Whether the bot is in the group, as the server last said. */
  botInGroup: false,
  generation: 0,
  lastAt: 0,
  seen: new Set<string>(),
  waitingSince: 0,
  waitingStartedAt: 0,
};

function switchUser(id: string): void {
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
  // LINE has no rich menu, friend button or new friend in a group chat.
  for (const control of ['follow', 'new-user', 'menu-toggle']) byId(control).hidden = view.group;
  if (view.group) toggleRichMenu(false);
  byId('group-bar').hidden = !view.group;
  const hint = byId('hint');
  hint.dataset.label = view.group ? 'groupHint' : 'hint';
  hint.textContent = t(hint.dataset.label);
  renderGroupBar();
  pollNow();
}

/** Shows the 1:1 chat or the group chat; the group gets members enough to be one (with no follow: they need not be the bot's friends). */
async function switchChat(group: boolean): Promise<void> {
  view.group = group;
  chatSelect.value = group ? 'group' : 'user';
  const added: SimulatedUser[] = [];
  while (group && users.length < GROUP_SIZE) {
    const user = { id: newUserId(), name: defaultName(users.length + 1) };
    users.push(user);
    added.push(user);
  }
  saveUsers();
  await Promise.all(added.map((user) => registerProfile(user).catch((error: Error) => toast(t('notSent', { reason: error.message }), true))));
  const members = groupMembers();
  switchUser(group && !members.some((user) => user.id === view.userId) ? members[0]!.id : view.userId);
}

function renderGroupBar(): void {
  if (!view.group) return;
  const names = groupMembers()
    .map((user) => user.name)
    .join(', ');
  byId('group-members').textContent = t(view.botInGroup ? 'groupWithBot' : 'groupWithoutBot', { names });
  groupJoin.hidden = view.botInGroup;
}

async function addUser(name: string): Promise<void> {
  const user = { id: newUserId(), name };
  users.push(user);
  saveUsers();
  await registerProfile(user).catch((error: Error) => toast(t('notSent', { reason: error.message }), true));
  switchUser(user.id);
  // A new user "adds the bot as a friend", which is how a LINE chat begins.
  await send({ follow: true });
}

// ---- timeline ----
function nearBottom(): boolean {
  return scroll.scrollHeight - scroll.scrollTop - scroll.clientHeight < 120;
}

/** Keeps the chat in time order even when a poll and a send answer arrive out of order. */
function place(node: ChatRow, at: number, order: number): void {
  node.dataset.at = String(at);
  node.dataset.order = String(order);
  const stick = nearBottom();
  let before: Element | null = null;
  for (let child = log.lastElementChild as HTMLElement | null; child; child = child.previousElementSibling as HTMLElement | null) {
    const childAt = Number(child.dataset.at);
    if (childAt < at || (childAt === at && Number(child.dataset.order) <= order)) break;
    before = child;
  }
  log.insertBefore(node, before);
  refreshQuickReplies();
  if (stick || order === 0) scroll.scrollTop = scroll.scrollHeight;
}

function row(side: 'user' | 'member' | 'bot', content: HTMLElement, metaText: string): ChatRow {
  const line: ChatRow = el('div', `row ${side}`);
  line.appendChild(content);
  const meta = el('span', 'meta');
  meta.textContent = metaText;
  line.appendChild(meta);
  return line;
}

function note(text: string): ChatRow {
  const node = el('div', 'note');
  node.textContent = text;
  return node;
}

function clock(at: number): string {
  const date = new Date(at);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

function renderSent(entry: SentEntry): ChatRow {
  const name = nameOf(entry.userId);
  if (entry.kind === 'follow') return note(t('followNote'));
  if (entry.kind === 'join' || entry.kind === 'memberJoined' || entry.kind === 'leave') return note(t(`${entry.kind}Note`, { name }));
  if (entry.kind === 'postback' && !entry.text) return note(t('postbackNote'));
  // In the group, the others' messages are on the left under their names, as LINE shows them.
  const mine = entry.userId === view.userId;
  const meta = mine ? clock(entry.at) : `${name} · ${clock(entry.at)}`;
  if (entry.kind === 'image') {
    const image = el('img', 'photo');
    image.alt = t('photoSent');
    image.src = `/dev/api/content/${encodeURIComponent(entry.messageId ?? '')}`;
    return row(mine ? 'user' : 'member', image, meta);
  }
  const bubble = el('div', 'bubble');
  bubble.textContent = entry.text ?? '';
  return row(mine ? 'user' : 'member', bubble, meta);
}

function renderBot(item: BotMessage): ChatRow {
  const message = item.message ?? {};
  const meta = (item.via === 'push' ? `${t('push')} · ` : '') + clock(item.at);
  let node: HTMLElement;
  if (message.type === 'text') {
    node = el('div', 'bubble');
    node.appendChild(linkedText(message.text ?? ''));
  } else if (message.type === 'flex' && message.contents) {
    node = el('div', 'flex');
    node.title = message.altText ?? '';
    node.appendChild(flexContainer(message.contents, runAction));
  } else if (message.type === 'image') {
    const preview = safeUrl(message.previewImageUrl ?? message.originalContentUrl);
    const original = safeUrl(message.originalContentUrl) ?? preview;
    if (preview && original) {
      const image = el('img', 'photo');
      image.alt = t('botImage');
      image.src = preview.href;
      image.addEventListener('click', () => openUri(original.href));
      node = image;
    } else {
      node = el('div', 'bubble');
      node.textContent = '[image]';
    }
  } else {
    node = el('div', 'bubble');
    node.textContent = `[${String(message.type)} message] ${message.altText ?? message.text ?? ''}`;
  }
  const line = row('bot', node, meta);
  line.quickItems = Array.isArray(message.quickReply?.items) ? message.quickReply.items : null;
  return line;
}

// ---- actions (buttons, quick replies, the rich menu) ----
function openUri(uri: string | undefined): void {
  const url = safeUrl(uri);
  if (!url) {
    toast(t('onlyHttp', { uri: String(uri) }), true);
    return;
  }
  if (url.hostname === 'line.me' && url.pathname.startsWith('/R/share')) {
    byId('share-text').textContent = url.searchParams.get('text') ?? '';
    byId('share').hidden = false;
    return;
  }
  window.open(url.href, '_blank', 'noopener');
}

function runAction(action: LineAction): void {
  switch (action.type) {
    case 'postback':
      void send({ postbackData: action.data ?? '', ...(action.displayText ? { displayText: action.displayText } : {}) });
      break;
    case 'message':
      void send({ text: action.text ?? '' });
      break;
    case 'uri':
      openUri(action.uri);
      break;
    case 'clipboard':
      copyText(action.clipboardText ?? '');
      break;
    case 'camera':
    case 'cameraRoll':
      photoInput.click();
      break;
    default:
      toast(t('unsupported', { type: String(action.type) }), true);
  }
}

function showQuickReplies(items: QuickReplyItem[] | null | undefined): void {
  quick.textContent = '';
  if (!items || items.length === 0) {
    quick.hidden = true;
    return;
  }
  for (const item of items) {
    const { action } = item;
    if (!action) continue;
    const button = el('button');
    button.type = 'button';
    button.textContent = action.label ?? action.text ?? action.type;
    button.addEventListener('click', () => runAction(action));
    quick.appendChild(button);
  }
  quick.hidden = false;
}

/** Like LINE: quick replies belong to the newest message and vanish once anything follows it. */
function refreshQuickReplies(): void {
  const last = log.lastElementChild as ChatRow | null;
  showQuickReplies(last?.quickItems ?? null);
}

/** The channel's rich menu (the image richmenu:setup uploads), its areas as buttons in the chosen language. */
function renderRichMenu(): void {
  if (!setup) return;
  const menu = setup.richMenu;
  byId<HTMLImageElement>('rich-menu-image').alt = menu.chatBarText;
  const areas = byId('rich-menu-areas');
  areas.textContent = '';
  for (const area of menu.areas) {
    const button = el('button');
    button.type = 'button';
    const label = area.labels[language];
    button.setAttribute('aria-label', label);
    button.title = label;
    button.dataset.text = area.text;
    button.style.left = `${(area.bounds.x / menu.width) * 100}%`;
    button.style.top = `${(area.bounds.y / menu.height) * 100}%`;
    button.style.width = `${(area.bounds.width / menu.width) * 100}%`;
    button.style.height = `${(area.bounds.height / menu.height) * 100}%`;
    button.addEventListener('click', () => runAction({ type: 'message', text: area.text }));
    areas.appendChild(button);
  }
}

function toggleRichMenu(open: boolean): void {
  // The image is drawn on the server when first asked for: only once someone opens the menu.
  const image = byId<HTMLImageElement>('rich-menu-image');
  if (open && setup && !image.getAttribute('src')) image.src = setup.richMenu.imageUrl;
  richMenu.hidden = !open;
  menuToggle.setAttribute('aria-expanded', String(open));
  menuToggle.title = t(open ? 'menuHide' : 'menuShow');
  if (open) scroll.scrollTop = scroll.scrollHeight;
}

// ---- server ----
function ingest(data: { sent?: SentEntry[]; messages?: BotMessage[]; botInGroup?: boolean }): void {
  if (data.botInGroup !== undefined && data.botInGroup !== view.botInGroup) {
    view.botInGroup = data.botInGroup;
    renderGroupBar();
  }
  const perMillisecond: Record<number, number> = {};
  let botArrived = false;
  for (const entry of data.sent ?? []) {
    const key = `u${entry.id}`;
    if (view.seen.has(key)) continue;
    view.seen.add(key);
    place(renderSent(entry), entry.at, 0);
    view.lastAt = Math.max(view.lastAt, entry.at);
  }
  for (const item of data.messages ?? []) {
    // Messages of one millisecond are numbered in order: the list only grows, so the numbers are stable.
    perMillisecond[item.at] = (perMillisecond[item.at] ?? 0) + 1;
    const key = `b${item.at}#${perMillisecond[item.at]}`;
    if (view.seen.has(key)) continue;
    view.seen.add(key);
    place(renderBot(item), item.at, 1);
    view.lastAt = Math.max(view.lastAt, item.at);
    if (view.waitingSince && item.at >= view.waitingSince) botArrived = true;
  }
  if (botArrived) view.waitingSince = 0;
  typing.hidden = !isWaiting();
}

/** The server's clock dates messages; the page's clock bounds how long the dots are shown. */
function isWaiting(): boolean {
  return view.waitingSince > 0 && Date.now() - view.waitingStartedAt < WAIT_MS;
}

let pollTimer = 0;
let polling = false;
let pollAgain = false;

function schedulePoll(): void {
  clearTimeout(pollTimer);
  pollTimer = window.setTimeout(poll, isWaiting() ? 300 : 1500);
}

function pollNow(): void {
  if (polling) {
    pollAgain = true;
    return;
  }
  clearTimeout(pollTimer);
  void poll();
}

async function poll(): Promise<void> {
  polling = true;
  const { generation } = view;
  // Re-asks for the newest millisecond too; the seen-keys drop what is already shown.
  const since = view.lastAt > 0 ? view.lastAt - 1 : 0;
  try {
    const chat = view.group ? `groupId=${encodeURIComponent(groupId())}` : `userId=${encodeURIComponent(view.userId)}`;
    const response = await fetch(`/dev/api/messages?${chat}&since=${since}`, { cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const data = (await response.json()) as { sent?: SentEntry[]; messages?: BotMessage[]; botInGroup?: boolean };
    byId('offline').hidden = true;
    if (generation === view.generation) ingest(data);
  } catch {
    byId('offline').hidden = false;
  }
  polling = false;
  if (pollAgain) {
    pollAgain = false;
    void poll();
  } else {
    schedulePoll();
  }
}

type SendPayload = { text: string } | { postbackData: string; displayText?: string } | { imageBase64: string; contentType: string } | { follow: true } | { join: true };

async function send(payload: SendPayload): Promise<void> {
  const { generation } = view;
  showQuickReplies(null);
  try {
    const response = await fetch('/dev/api/send', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...payload, userId: view.userId, ...(view.group ? { groupId: groupId() } : {}) }),
    });
    const body = (await response.json().catch(() => ({}))) as { error?: string; issues?: string[]; sent?: SentEntry };
    if (response.status === 413) throw new Error(t('tooLarge'));
    if (!response.ok || !body.sent) throw new Error((body.error ?? `HTTP ${response.status}`) + (body.issues ? ` (${body.issues.join('; ')})` : ''));
    if (generation !== view.generation) return;
    view.waitingSince = body.sent.at;
    view.waitingStartedAt = Date.now();
    ingest({ sent: [body.sent], messages: [] });
    pollNow();
  } catch (error) {
    toast(t('notSent', { reason: (error as Error).message }), true);
    refreshQuickReplies();
  }
}

function sendPhoto(file: File | undefined): void {
  if (!file) return;
  const reader = new FileReader();
  reader.onload = () => {
    const dataUrl = String(reader.result);
    const imageBase64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
    void send({ imageBase64, contentType: IMAGE_TYPES.includes(file.type) ? file.type : 'image/jpeg' });
  };
  reader.onerror = () => toast(t('unreadable'), true);
  reader.readAsDataURL(file);
}

// ---- wiring ----
function wire(): void {
  byId('composer').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = textInput.value;
    if (!text.trim()) return;
    textInput.value = '';
    void send({ text });
  });
  byId('photo-button').addEventListener('click', () => photoInput.click());
  photoInput.addEventListener('change', () => {
    sendPhoto(photoInput.files?.[0]);
    photoInput.value = '';
  });
  select.addEventListener('change', () => switchUser(select.value));
  chatSelect.addEventListener('change', () => void switchChat(chatSelect.value === 'group'));
  groupJoin.addEventListener('click', () => void send({ join: true }));
  languageSelect.addEventListener('change', () => {
    language = languageSelect.value as SimulatorLanguage;
    localStorage.setItem(LANGUAGE_KEY, language);
    applyLabels();
  });
  byId('copy-user').addEventListener('click', () => copyText(view.userId));
  const form = byId<HTMLFormElement>('new-user-form');
  const nameInput = byId<HTMLInputElement>('new-user-name');
  byId('new-user').addEventListener('click', () => {
    form.hidden = !form.hidden;
    if (form.hidden) return;
    nameInput.value = defaultName(users.length + 1);
    nameInput.select();
    nameInput.focus();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = nameInput.value.trim();
    if (!name) {
      toast(t('nameRequired'), true);
      return;
    }
    form.hidden = true;
    void addUser(name);
  });
  byId('follow').addEventListener('click', () => void send({ follow: true }));
  menuToggle.addEventListener('click', () => toggleRichMenu(richMenu.hidden));
  byId('share-close').addEventListener('click', () => {
    byId('share').hidden = true;
  });
  byId('share-copy').addEventListener('click', () => {
    copyText(byId('share-text').textContent ?? '');
    byId('share').hidden = true;
  });
}

async function start(): Promise<void> {
  wire();
  try {
    const response = await fetch('/dev/api/setup', { cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    setup = (await response.json()) as SimulatorSetup;
    for (const { code, name } of setup.languages) {
      const option = el('option');
      option.value = code;
      option.textContent = name;
      languageSelect.appendChild(option);
    }
    languageSelect.value = language;
    applyLabels();
  } catch {
    byId('offline').hidden = false;
  }

  users = loadUsers();
  const firstVisit = users.length === 0;
  // Another browser (or a cleared one) can chat as the demo shop's owner: listed first, and chosen on a first visit.
  const owner = setup?.shopOwner;
  if (owner && !users.some((user) => user.id === owner.id)) users.unshift({ id: owner.id, name: owner.name ?? t('shopOwner') });
  if (firstVisit && owner) localStorage.setItem(CURRENT_KEY, owner.id);
  else if (firstVisit) users = [{ id: newUserId(), name: defaultName(1) }];
  saveUsers();
  // The stub forgets profiles when the server restarts: tell it every user's name again.
  await Promise.all(users.map((user) => registerProfile(user).catch(() => undefined)));
  const stored = localStorage.getItem(CURRENT_KEY);
  const current = users.find((user) => user.id === stored) ?? users[0];
  if (current) switchUser(current.id);
  if (firstVisit && !owner) await send({ follow: true });
  textInput.focus();
}

void start();
