import type { TransportLabelKey } from "../../../shared/transports.ts";

/**
 * The page's words in English and Turkish (the lesson's language), one table each; the choice is remembered.
 * Elements made with `translated()` (or marked `data-i18n`) change language in place, without a reload,
 * so the panes keep their connections and counters when the teacher switches.
 */

const EN = {
  "top.title": "Polling vs WebSockets",
  "top.name": "your name",
  "top.bot": "chat bot",
  "top.bot.title": "Posts numbered messages on the server at random moments, this many a second on average",
  "top.rate": "msg/s",
  "top.clock": "clock offset",
  "top.clock.title": "The server's clock minus this browser's, used to correct latencies",
  "top.clock.unknown": "unknown",
  "top.both": "both",
  "top.language": "Language",
  "top.present": "Present",
  "top.present.title": "Presenter mode: the walkthrough as slides beside the live panes (arrow keys)",
  "top.menu": "Menu",
  "top.links": "Pages",

  "pane.requests": "requests",
  "pane.empty": "empty answers",
  "pane.received": "bytes received",
  "pane.sent": "bytes sent",
  "pane.latency-last": "latency (last)",
  "pane.protocol": "protocol",
  "pane.latency-median": "latency (median)",
  "pane.shown": "messages shown / unique",
  "pane.again": "shown {n}×",
  "pane.from.server": "server",
  "pane.from.teacher": "teacher",
  "pane.earlier.one": "1 earlier message hidden",
  "pane.earlier": "{n} earlier messages hidden",
  "pane.picker": "Transport of this pane",
  "pane.messages": "Messages",
  "pane.announce": "{pane}: messages {messages}, requests {requests}, empty answers {empty}.",
  "pane.placeholder": "Say something",
  "pane.send": "Send",
  "pane.counters.title":
    "Counted by the server at its TCP socket, headers included: every request and answer, WebSocket upgrade and frame, SSE event of this pane. The pane reads them back once a second (GET /stats/pane/…); those readings are in no count.",
  "pane.history": "history: {received} received, {sent} sent, once",
  "pane.history.title":
    "The pane's first answer, with the chat's history (for a socket or a stream, its opening too): paid once, so it is kept out of the counters above.",
  "pane.proxied": "as the server saw it",
  "pane.reset": "reset counters",
  "pane.restarted": "the server restarted: these counters carry on across it",
  "pane.bytes-unknown":
    "Not measurable for one pane here: over HTTP/2 every request of the page shares one TLS connection, so the server cannot tell this pane's bytes from the others'. /stats counts them all.",
  "pane.new-chat": "New chat: this pane's history and counters were cleared.",
  "down.banner":
    "The server is not answering ({s} s). The pages reconnect by themselves when it is back; nothing posted before is lost.",
  "down.back": "The server is back (away {s} s): the panes carry on.",
  "teacher.refused":
    "This device's teacher link is not accepted (the server has another token): open the teacher URL npm start printed.",
  "class.new-chat.done": "New chat: the history and the counters were cleared.",

  // A refusal, by the code the server sends (shared/protocol.ts: ERROR_CODES; clients/page/ui/errors.ts picks the key).
  "error.bad-message": "The message could not be read: send a name and a text.",
  "error.empty-user": "Type your name first.",
  "error.bad-name": "Choose another name: this one is kept for the server, or holds hidden characters.",
  "error.user-too-long": "The name is too long: at most {user} characters.",
  "error.empty-text": "Type a message first.",
  "error.text-too-long": "The message is too long: at most {text} characters.",
  "error.too-large": "The request is too large.",
  "error.bad-request": "The server could not read the request.",
  "error.rate-limited": "Too many messages: wait a few seconds, then try again.",
  "error.teacher-only": "Only the teacher can do this.",
  "error.origin-refused": "The server does not accept requests from this page's address.",
  "error.server-busy": "The server is full right now: try again shortly.",
  "error.broker-unavailable": "The server cannot reach the shared chat right now: try again shortly.",
  "error.not-stored": "The message was not stored: try again.",
  "error.not-found": "The server does not know this address.",
  "error.upgrade-required": "This address only takes a WebSocket.",
  "error.internal": "Something went wrong on the server.",
  "error.network": "Not sent: the server could not be reached.",
  "error.unknown": "Not sent: the server refused it.",

  // The timeline strip's accessible name (clients/page/pane/timeline.ts): counts, so no plural forms are needed.
  "timeline.label": "Last {seconds} s",
  "timeline.nothing": "nothing yet",
  "timeline.requests": "requests: {n}, empty: {empty}",
  "timeline.not-modified": "304 Not Modified: {n}",
  "timeline.connections": "connections: {n}",
  "timeline.frames": "frames or events received: {n}, with messages: {full}",
  "timeline.sent": "sent: {n}",
  "timeline.waits": "messages: {n}, longest wait: {ms} ms",
  "timeline.ago": "−{n} s",

  // Status lines: code stays code (the polling line is the client's own call), words are translated.
  "status.polling": "setInterval(poll, {interval})",
  "status.socket.open": "connected",
  "status.socket.reconnecting": "disconnected, reconnecting…",
  "status.naive-socket.closed": "disconnected, for good: this connect() does not reconnect",
  "status.longpoll.waiting": "request held by the server…",
  "status.longpoll.retrying": "server unreachable, retrying…",
  "status.sse.open": "stream open",
  "status.sse.reconnecting": "stream broken, reconnecting with Last-Event-ID…",
  "status.sse.closed": "stream closed",

  "transport.polling.name": "Polling",
  "transport.polling.title": "Polling · every {interval} ms",
  "transport.polling.blurb": "GET /messages?since=<last id> on a timer: asks again and again, mostly for nothing.",
  "transport.polling.link": "polling",
  "transport.naive.name": "Naive polling",
  "transport.naive.title": "Naive polling · every {interval} ms",
  "transport.naive.blurb": "The slides' loop: GET /messages, append them all, every time. Watch the messages repeat.",
  "transport.naive.toggle": "naive loop, as on the slides",
  "transport.socket.name": "WebSocket",
  "transport.socket.title": "WebSocket",
  "transport.socket.blurb": "One connection, kept open: the server pushes each message the moment it is stored.",
  "transport.socket.link": "socket",
  "transport.naive-socket.name": "WebSocket, as on the slides",
  "transport.naive-socket.title": "WebSocket · connect() as on the slides",
  "transport.naive-socket.blurb":
    "The slides' connect(): one socket, each message as it comes. When the link drops it stays down, and what is sent meanwhile never arrives.",
  "transport.naive-socket.toggle": "connect() as on the slides",
  "transport.conditional.name": "Conditional polling",
  "transport.conditional.title": "Conditional polling · every {interval} ms",
  "transport.conditional.blurb":
    "The same timer, with If-None-Match: while nothing changed the server answers 304 and no body. As many requests; fewer bytes only when the answer is big.",
  "transport.conditional.link": "conditional",
  "transport.longpoll.name": "Long polling",
  "transport.longpoll.title": "Long polling",
  "transport.longpoll.blurb":
    "GET /messages/wait: the server holds each request until a message arrives (or a time limit passes); then the client asks again.",
  "transport.longpoll.link": "long poll",
  "transport.sse.name": "Server-Sent Events",
  "transport.sse.title": "Server-Sent Events",
  "transport.sse.blurb":
    "GET /events: one response that never ends, one event per message. Server to browser only: sending is a POST.",
  "transport.sse.link": "SSE",

  "handshake.summary": "The WebSocket handshake, header by header",
  "handshake.again": "Handshake again",
  "handshake.note":
    "A browser cannot read its own upgrade headers, so this panel opens a socket to /ws?handshake and the server sends back what it read and what it answered.",
  "handshake.request": "Request the browser sent",
  "handshake.response": "Response the server answered",
  "handshake.accept": "Sec-WebSocket-Accept = base64(SHA-1(key + GUID)), worked out here",
  "handshake.key": "key",
  "handshake.concatenated": "key + GUID",
  "handshake.sha1": "SHA-1",
  "handshake.base64": "base64",
  "handshake.server": "server sent",
  "handshake.match": "✓ matches: the server really read this key",
  "handshake.mismatch": "✗ does not match",
  "handshake.waiting": "handshaking…",
  "handshake.failed": "no handshake: the connection closed with code {code}",

  "present.previous": "← previous",
  "present.next": "next →",
  "present.step": "step {n} of {total}",
  "present.exit": "Leave presenter mode",
  "present.run": "Run",
  "present.show": "Show",
  "present.see": "The class should see",
  "present.ask": "Ask",
  "present.class": "Class view (for the projector)",

  // The class view (clients/class/) and the teacher's controls.
  "top.class": "class view",
  "class.title": "Class view",
  "class.page-title": "Class view · Polling vs WebSockets",
  "class.join": "Join",
  "class.join.hint": "Scan the code, or type the address on your phone or laptop.",
  "class.here": "Who is here",
  "class.transport": "transport",
  "class.clients": "clients",
  "class.chart.requests": "requests/s",
  "class.chart.bytesIn": "bytes/s the server received (5 s average)",
  "class.chart.bytesOut": "bytes/s the server sent (5 s average)",
  "class.chart.empty": "empty answers/s",
  "class.chart.cpu": "server CPU % (of one core)",
  "class.note": "Counted by the server at its sockets, once a second; this view's own requests are left out.",
  "class.controls": "Teacher's controls",
  "class.bot": "chat bot",
  "class.rate": "msg/s",
  "class.lock": "lock sending for students",
  "class.locked": "Sending is locked by the teacher.",
  "class.new-chat": "New chat",
  "class.new-chat.confirm": "Start a new chat? The history and the counters are cleared.",
  "class.present": "Presenter mode",
  "class.back": "the chat",
  "present.slides": "Slides",
  "present.controls": "Slide controls",
  "present.announcements": "Live counters",
} as const;

export type StringKey = keyof typeof EN;

/** Every transport of shared/transports.ts needs its words here: a new one without them fails to compile. */
const TRANSPORT_WORDS_COMPLETE: Record<TransportLabelKey, string> = EN;
void TRANSPORT_WORDS_COMPLETE;

/** Turkish; the type makes a missing key a compile error. */
const TR: Record<StringKey, string> = {
  "top.title": "Polling ve WebSocket",
  "top.name": "adın",
  "top.bot": "sohbet botu",
  "top.bot.title": "Sunucuda, rastgele anlarda numaralı mesajlar gönderir: saniyede ortalama yandaki sayı kadar",
  "top.rate": "mesaj/sn",
  "top.clock": "saat farkı",
  "top.clock.title": "Sunucunun saati ile bu tarayıcının saati arasındaki fark; gecikmeleri düzeltmek için kullanılır",
  "top.clock.unknown": "bilinmiyor",
  "top.both": "ikisi birden",
  "top.language": "Dil",
  "top.present": "Sunum",
  "top.present.title":
    "Sunum modu: anlatımın adımları, canlı panellerin yanında slayt olarak (ok tuşlarıyla ilerleyin)",
  "top.menu": "Menü",
  "top.links": "Sayfalar",

  "pane.requests": "istek",
  "pane.empty": "boş cevap",
  "pane.received": "alınan bayt",
  "pane.sent": "gönderilen bayt",
  "pane.latency-last": "gecikme (son)",
  "pane.protocol": "protokol",
  "pane.latency-median": "gecikme (medyan)",
  "pane.shown": "gösterilen / farklı mesaj",
  "pane.again": "{n}. kez",
  "pane.from.server": "sunucu",
  "pane.from.teacher": "öğretmen",
  "pane.earlier.one": "Önceki 1 mesaj gizlendi",
  "pane.earlier": "Önceki {n} mesaj gizlendi",
  "pane.picker": "Bu panelin aktarım yöntemi",
  "pane.messages": "Mesajlar",
  "pane.announce": "{pane}: mesaj {messages}, istek {requests}, boş cevap {empty}.",
  "pane.placeholder": "Bir şey yaz",
  "pane.send": "Gönder",
  "pane.counters.title":
    "Sunucu bunları kendi TCP soketinde, başlıklarıyla birlikte sayar: bu panelin her isteğini ve cevabını, WebSocket upgrade'ini ve çerçevelerini, SSE olaylarını. Panel bu sayıları saniyede bir sunucudan okur (GET /stats/pane/…); bu okumalar hiçbir sayıma girmez.",
  "pane.history": "geçmiş (bir kez): {received} alındı, {sent} gönderildi",
  "pane.history.title":
    "Panelin ilk cevabı, sohbetin geçmişiyle birlikte (soket ya da akışta bağlantının açılışı da): bedeli bir kez ödenir; bu yüzden yukarıdaki sayaçlara eklenmez.",
  "pane.proxied": "sunucunun gördüğü hâliyle",
  "pane.reset": "sayaçları sıfırla",
  "pane.restarted": "sunucu yeniden başlatıldı: bu sayaçlar kaldığı yerden devam ediyor",
  "pane.bytes-unknown":
    "Burada tek bir panel için ölçülemez: HTTP/2'de sayfanın bütün istekleri tek bir TLS bağlantısını paylaşır, bu yüzden sunucu bu panelin baytlarını diğerlerininkinden ayıramaz. /stats hepsini sayar.",
  "pane.new-chat": "Yeni sohbet: bu panelin geçmişi ve sayaçları silindi.",
  "down.banner":
    "Sunucu cevap vermiyor ({s} sn). Sunucu geri geldiğinde sayfalar kendiliğinden yeniden bağlanır; daha önce gönderilen hiçbir şey kaybolmaz.",
  "down.back": "Sunucu geri geldi ({s} sn yoktu): paneller devam ediyor.",
  "teacher.refused":
    "Bu cihazın öğretmen bağlantısı kabul edilmiyor (sunucunun anahtarı başka): npm start'ın yazdığı öğretmen adresini açın.",
  "class.new-chat.done": "Yeni sohbet: geçmiş ve sayaçlar silindi.",

  "error.bad-message": "Mesaj okunamadı: bir ad ve bir metin gönderin.",
  "error.empty-user": "Önce adını yaz.",
  "error.bad-name": "Başka bir ad seç: bu ad sunucuya ayrılmış ya da gizli karakterler içeriyor.",
  "error.user-too-long": "Ad çok uzun: en fazla {user} karakter olabilir.",
  "error.empty-text": "Önce bir mesaj yaz.",
  "error.text-too-long": "Mesaj çok uzun: en fazla {text} karakter olabilir.",
  "error.too-large": "İstek çok büyük.",
  "error.bad-request": "Sunucu isteği okuyamadı.",
  "error.rate-limited": "Çok hızlı gönderiyorsun: birkaç saniye bekle, sonra yeniden dene.",
  "error.teacher-only": "Bunu yalnızca öğretmen yapabilir.",
  "error.origin-refused": "Sunucu, bu sayfanın adresinden gelen istekleri kabul etmiyor.",
  "error.server-busy": "Sunucu şu an dolu: biraz sonra yeniden dene.",
  "error.broker-unavailable": "Sunucu şu an ortak sohbete ulaşamıyor: biraz sonra yeniden dene.",
  "error.not-stored": "Mesaj kaydedilemedi: yeniden dene.",
  "error.not-found": "Sunucu bu adresi tanımıyor.",
  "error.upgrade-required": "Bu adres yalnızca WebSocket bağlantısı kabul eder.",
  "error.internal": "Sunucuda bir hata oldu.",
  "error.network": "Gönderilemedi: sunucuya ulaşılamadı.",
  "error.unknown": "Gönderilemedi: sunucu kabul etmedi.",

  "timeline.label": "Son {seconds} sn",
  "timeline.nothing": "henüz bir şey yok",
  "timeline.requests": "istek: {n}, boş: {empty}",
  "timeline.not-modified": "304 Not Modified: {n}",
  "timeline.connections": "bağlantı: {n}",
  "timeline.frames": "alınan çerçeve ya da olay: {n}, mesaj taşıyan: {full}",
  "timeline.sent": "gönderilen: {n}",
  "timeline.waits": "mesaj: {n}, en uzun bekleme: {ms} ms",
  "timeline.ago": "−{n} sn",

  "status.polling": "setInterval(poll, {interval})",
  "status.socket.open": "bağlı",
  "status.socket.reconnecting": "bağlantı koptu, yeniden bağlanıyor…",
  "status.naive-socket.closed": "bağlantı koptu ve öyle kalacak: bu connect() yeniden bağlanmaz",
  "status.longpoll.waiting": "istek sunucuda bekletiliyor…",
  "status.longpoll.retrying": "sunucuya ulaşılamıyor, yeniden deneniyor…",
  "status.sse.open": "akış açık",
  "status.sse.reconnecting": "akış koptu, Last-Event-ID ile yeniden bağlanıyor…",
  "status.sse.closed": "akış kapandı",

  "transport.polling.name": "Polling",
  "transport.polling.title": "Polling · her {interval} ms",
  "transport.polling.blurb": "Zamanlayıcıyla GET /messages?since=<son id>: tekrar tekrar sorar, çoğu zaman boşuna.",
  "transport.polling.link": "polling",
  "transport.naive.name": "Naif polling",
  "transport.naive.title": "Naif polling · her {interval} ms",
  "transport.naive.blurb":
    "Slaytlardaki döngü: her turda GET /messages ile bütün mesajları getirip hepsini ekler. Mesajların nasıl tekrarlandığına bakın.",
  "transport.naive.toggle": "slaytlardaki naif döngü",
  "transport.socket.name": "WebSocket",
  "transport.socket.title": "WebSocket",
  "transport.socket.blurb": "Tek bir bağlantı açık kalır: sunucu her mesajı, kaydettiği anda istemciye iletir.",
  "transport.socket.link": "soket",
  "transport.naive-socket.name": "WebSocket, slaytlardaki gibi",
  "transport.naive-socket.title": "WebSocket · slaytlardaki connect()",
  "transport.naive-socket.blurb":
    "Slaytlardaki connect(): tek soket, her mesaj geldiği anda. Bağlantı koparsa kopuk kalır ve bu arada gönderilenler hiç gelmez.",
  "transport.naive-socket.toggle": "slaytlardaki connect()",
  "transport.conditional.name": "Koşullu polling",
  "transport.conditional.title": "Koşullu polling · her {interval} ms",
  "transport.conditional.blurb":
    "Aynı zamanlayıcı, ama If-None-Match ile: bir şey değişmediği sürece sunucu gövdesiz bir 304 ile cevap verir. İstek sayısı aynı kalır; bayt ancak cevap büyükse azalır.",
  "transport.conditional.link": "koşullu",
  "transport.longpoll.name": "Long polling",
  "transport.longpoll.title": "Long polling",
  "transport.longpoll.blurb":
    "GET /messages/wait: sunucu her isteği bir mesaj gelene (ya da süre dolana) kadar bekletir; sonra istemci yeniden sorar.",
  "transport.longpoll.link": "long polling",
  "transport.sse.name": "Server-Sent Events",
  "transport.sse.title": "Server-Sent Events",
  "transport.sse.blurb":
    "GET /events: hiç bitmeyen tek bir cevap, mesaj başına bir olay. Yalnızca sunucudan tarayıcıya akar; göndermek için bir POST yapılır.",
  "transport.sse.link": "SSE",

  "handshake.summary": "WebSocket el sıkışması, başlık başlık",
  "handshake.again": "El sıkışmayı yinele",
  "handshake.note":
    "Tarayıcı kendi gönderdiği upgrade başlıklarını okuyamaz; bu yüzden bu panel /ws?handshake adresine bir soket açar, sunucu da okuduğu isteği ve verdiği cevabı geri gönderir.",
  "handshake.request": "Tarayıcının gönderdiği istek",
  "handshake.response": "Sunucunun verdiği cevap",
  "handshake.accept": "Sec-WebSocket-Accept = base64(SHA-1(anahtar + GUID)), burada hesaplandı",
  "handshake.key": "anahtar",
  "handshake.concatenated": "anahtar + GUID",
  "handshake.sha1": "SHA-1",
  "handshake.base64": "base64",
  "handshake.server": "sunucunun gönderdiği",
  "handshake.match": "✓ eşleşiyor: sunucu bu anahtarı gerçekten okudu",
  "handshake.mismatch": "✗ eşleşmiyor",
  "handshake.waiting": "el sıkışma sürüyor…",
  "handshake.failed": "el sıkışma olmadı: bağlantı {code} koduyla kapandı",

  "present.previous": "← önceki",
  "present.next": "sonraki →",
  "present.step": "adım {n} / {total}",
  "present.exit": "Sunum modundan çık",
  "present.run": "Çalıştır",
  "present.show": "Göster",
  "present.see": "Sınıf ne görmeli",
  "present.ask": "Sor",
  "present.class": "Sınıf görünümü (projeksiyon için)",

  "top.class": "sınıf görünümü",
  "class.title": "Sınıf görünümü",
  "class.page-title": "Sınıf görünümü · Polling ve WebSocket",
  "class.join": "Katılın",
  "class.join.hint": "Kodu telefonunuzla okutun ya da adresi tarayıcınıza yazın.",
  "class.here": "Kimler burada",
  "class.transport": "aktarım yöntemi",
  "class.clients": "istemci",
  "class.chart.requests": "istek/sn",
  "class.chart.bytesIn": "sunucunun aldığı bayt/sn (5 sn ortalaması)",
  "class.chart.bytesOut": "sunucunun gönderdiği bayt/sn (5 sn ortalaması)",
  "class.chart.empty": "boş cevap/sn",
  "class.chart.cpu": "sunucu CPU'su, % (tek çekirdeğe göre)",
  "class.note": "Sunucu bunları kendi soketlerinde, saniyede bir sayar; bu görünümün kendi istekleri sayılmaz.",
  "class.controls": "Öğretmenin kontrolleri",
  "class.bot": "sohbet botu",
  "class.rate": "mesaj/sn",
  "class.lock": "öğrencilerin mesaj göndermesini kilitle",
  "class.locked": "Öğretmen mesaj göndermeyi kilitledi.",
  "class.new-chat": "Yeni sohbet",
  "class.new-chat.confirm": "Yeni bir sohbet başlatılsın mı? Geçmiş ve sayaçlar silinir.",
  "class.present": "Sunum modu",
  "class.back": "sohbet",
  "present.slides": "Slaytlar",
  "present.controls": "Slayt düğmeleri",
  "present.announcements": "Canlı sayaçlar",
};

export const LANGUAGES = { en: EN as Record<StringKey, string>, tr: TR };
export type Language = keyof typeof LANGUAGES;

const STORAGE_KEY = "language";
export type Vars = Record<string, string | number>;
const listeners = new Set<(language: Language) => void>();

const isLanguage = (value: unknown): value is Language => typeof value === "string" && value in LANGUAGES;

function stored(): Language | undefined {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : undefined;
  } catch {
    return undefined; // storage disabled: follow the browser
  }
}

/** The remembered choice, else the browser's language if it is Turkish, else English. */
let current: Language =
  stored() ?? (typeof navigator !== "undefined" && navigator.language.startsWith("tr") ? "tr" : "en");

export const language = (): Language => current;

/** The text for `key`, `{name}` placeholders filled from `vars`. */
export function t(key: StringKey, vars: Vars = {}): string {
  return LANGUAGES[current][key].replace(/\{(\w+)\}/g, (match, name: string) =>
    name in vars ? String(vars[name]) : match,
  );
}

export function setLanguage(next: Language): void {
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // not remembered, still switched
  }
  document.documentElement.lang = next;
  retranslate();
  for (const listener of listeners) listener(next);
}

/** Runs `listener` after every switch (for text that is not a plain `data-i18n` element). */
export function onLanguageChange(listener: (language: Language) => void): void {
  listeners.add(listener);
}

/** Where a marked element shows its words: text (`data-i18n`), or an attribute (`data-i18n-title`…). */
const SLOTS = [
  ["i18n", undefined],
  ["i18nTitle", "title"],
  ["i18nPlaceholder", "placeholder"],
  ["i18nLabel", "aria-label"],
] as const;
type Attribute = NonNullable<(typeof SLOTS)[number][1]>;

/** Marks `element` to show `key` (its text, or an attribute such as `title`), now and after every switch. */
export function translated<E extends HTMLElement>(element: E, key: StringKey, vars?: Vars, attribute?: Attribute): E {
  const slot = attribute ? SLOTS.find(([, name]) => name === attribute)![0] : "i18n";
  element.dataset[slot] = key;
  if (vars) element.dataset.i18nVars = JSON.stringify(vars);
  else delete element.dataset.i18nVars; // an element re-marked with another key keeps no stale values
  apply(element);
  return element;
}

function apply(element: HTMLElement): void {
  const vars = element.dataset.i18nVars ? (JSON.parse(element.dataset.i18nVars) as Vars) : undefined;
  for (const [slot, attribute] of SLOTS) {
    const key = element.dataset[slot];
    if (!key || !(key in EN)) continue;
    if (attribute) element.setAttribute(attribute, t(key as StringKey, vars));
    else element.textContent = t(key as StringKey, vars);
  }
}

/** Re-applies every marked element under `root` (index.html marks its static labels with `data-i18n`). */
export function retranslate(root: ParentNode = document): void {
  for (const element of root.querySelectorAll<HTMLElement>(
    "[data-i18n], [data-i18n-title], [data-i18n-placeholder], [data-i18n-label]",
  ))
    apply(element);
}
