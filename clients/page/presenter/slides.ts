import type { TransportId } from "../../../shared/transports.ts";
import type { Language } from "../ui/i18n.ts";
import type { ExerciseId } from "../../../shared/lab.ts";

/**
 * The classroom walkthrough as slides for presenter mode (`/?present`): the same steps, in the same order and
 * words, as docs/walkthrough.md and docs/walkthrough.tr.md, which say more. Each step can set the panes' modes
 * (left to right) and the chat bot's rate when it is shown. `{room}` in a text is the page's address in the room
 * (GET /room: the server's LAN address), filled in by presenter.ts.
 */

export interface SlideText {
  title: string;
  /** What to run or open. */
  run: string;
  /** Which file and which function to put on the projector. */
  show: string;
  /** What the class should see. */
  see: string;
  /** A question to ask the class. */
  ask: string;
}

export interface Slide {
  id: string;
  /** Modes for the panes, left to right; absent keeps what is shown. */
  modes?: TransportId[];
  /** Chat bot rate in messages per second (0 stops it); absent leaves the bot alone. */
  bot?: number;
  /** Opens the handshake panel (true) or closes it (false). */
  handshake?: boolean;
  /** The lab's exercise that fits this step (/lab?exercise=<id>), linked under the slide. */
  lab?: ExerciseId;
  text: Record<Language, SlideText>;
}

export const SLIDES: Slide[] = [
  {
    id: "polling",
    modes: ["polling", "polling"],
    lab: "fetch-once",
    bot: 0,
    handshake: false,
    text: {
      en: {
        title: "1. A Twitch-like chat, with polling",
        run: "npm start; the class view (/class) on the projector first: students scan its QR code, or open {room} (this machine's address in the room)",
        show: 'The lesson\'s server, const messages = ["first message"] in Deno.serve, is server/transports/messages.ts: GET /messages. One fetch shows nothing new (the lesson: "Yeni mesajları göremiyoruz"), so clients/transports/polling.ts: startPolling() repeats it with a setInterval: the slides\' loop, fixed with ?since= (step 2)',
        see: "A message sent in one pane shows up in every pane and on every machine, within about a second.",
        ask: "Nobody told the other browsers about the new message. How did they find out?",
      },
      tr: {
        title: "1. Twitch benzeri bir sohbet, polling ile",
        run: "npm start; projektörde önce sınıf görünümü (/class): öğrenciler QR kodunu okutur ya da {room} adresini açar (bu makinenin sınıftaki adresi)",
        show: 'Dersteki sunucu (Deno.serve ve const messages = ["first message"]) burada server/transports/messages.ts: GET /messages. Tek bir fetch yeni mesajları göstermez (dersteki "Yeni mesajları göremiyoruz"). Bu yüzden clients/transports/polling.ts: startPolling() isteği bir setInterval ile tekrarlar: slaytlardaki döngünün ?since= ile düzeltilmiş hâli (adım 2)',
        see: "Bir panelde gönderilen mesaj, yaklaşık bir saniye içinde her panelde ve her makinede görünür.",
        ask: "Diğer tarayıcılara yeni mesajı kimse söylemedi. Nasıl öğrendiler?",
      },
    },
  },
  {
    id: "since",
    modes: ["naive", "polling"],
    lab: "polling",
    bot: 1,
    text: {
      en: {
        title: "2. The naive loop, and the since fix",
        run: "The left pane runs the slides' loop (the 'naive loop' box); the chat bot posts one message a second",
        show: "clients/transports/polling.ts: startNaivePolling() beside startPolling(); server/transports/messages.ts: GET /messages?since=",
        see: "The naive pane repeats the whole history every second: each copy dimmed, 'shown 3×', and its 'shown / unique' climbs; the fixed pane shows each message once.",
        ask: "What does the naive loop download after an hour of a busy chat? What does ?since= change?",
      },
      tr: {
        title: "2. Naif döngü ve since düzeltmesi",
        run: "Sol panel slaytlardaki döngüyü çalıştırır ('slaytlardaki naif döngü' kutusu); sohbet botu saniyede bir mesaj gönderir",
        show: "clients/transports/polling.ts: startNaivePolling() ile startPolling() yan yana; server/transports/messages.ts: GET /messages?since=",
        see: "Naif panel her saniye tüm geçmişi yeniden ekler. Her kopya soluktur ve üzerinde '3. kez' gibi bir sayı yazar; 'gösterilen / farklı' sayacı hızla artar. Düzeltilmiş panel her mesajı bir kez gösterir.",
        ask: "Yoğun bir sohbette bir saat sonra naif döngü ne kadar veri indirir? ?since= neyi değiştirir?",
      },
    },
  },
  {
    id: "cost",
    modes: ["polling", "socket"],
    bot: 0,
    text: {
      en: {
        title: "3. Counting the cost",
        run: "Leave the chat idle for a minute, then switch the chat bot on; afterwards: npm run bench -- --quick",
        show: "server/counting/exchange-bytes.ts: the server counts each pane's bytes at its socket (headers too); clients/page/pane/meter.ts adds the pane's ?p= in a wrapper, without touching the clients' code; the bench report",
        see: "The three costs of polling the lesson lists (High latency, High CPU usage, High bandwidth usage). Bandwidth: idle, the polling pane's requests, empty answers and bytes climb every second, the socket's stay still. Latency (read the median, not the last message): up to one interval for polling, a few ms for the socket. CPU: the bench's CPU µs/msg column.",
        ask: "Polling every second with 30 students: how many requests a minute, and how many of them bring news?",
      },
      tr: {
        title: "3. Maliyeti ölçmek",
        run: "Sohbeti bir dakika boş bırakın, sonra sohbet botunu açın; ardından: npm run bench -- --quick",
        show: "server/counting/exchange-bytes.ts: sunucu her panelin baytlarını kendi soketinde sayar (başlıklar dahil); clients/page/pane/meter.ts, panelin ?p= parametresini istemci koduna dokunmadan, bir sarmalayıcıda ekler; benchmark raporu",
        see: "Dersin saydığı üç polling maliyeti (High latency, High CPU usage, High bandwidth usage: yüksek gecikme, yüksek CPU kullanımı, yüksek bant genişliği kullanımı). Bant genişliği: boştayken polling panelinin istek, boş cevap ve bayt sayaçları her saniye artar; soket panelindekiler yerinde durur. Gecikme (son mesajı değil medyanı okuyun): polling'de bir aralığa kadar çıkar, sokette birkaç ms'dir. CPU: benchmark'ın CPU µs/msg sütununda.",
        ask: "30 öğrenci saniyede bir polling yaparsa dakikada kaç istek olur, kaçı yeni bir şey getirir?",
      },
    },
  },
  {
    id: "handshake",
    modes: ["polling", "socket"],
    handshake: true,
    text: {
      en: {
        title: "4. The handshake",
        run: "The handshake panel below the panes; in a terminal: npm run handshake",
        show: "scripts/raw-handshake.ts: buildUpgradeRequest(); shared/websocket-accept.ts: computeAccept()",
        see: "An ordinary GET with Upgrade: websocket and Connection: Upgrade, answered by 101 Switching Protocols, which repeats both headers; the accept is SHA-1 of the key plus a fixed GUID, in base64.",
        ask: "Why does the server hash the key at all, if anyone can compute the answer?",
      },
      tr: {
        title: "4. El sıkışma",
        run: "Panellerin altındaki el sıkışma paneli; bir terminalde: npm run handshake",
        show: "scripts/raw-handshake.ts: buildUpgradeRequest(); shared/websocket-accept.ts: computeAccept()",
        see: "Upgrade: websocket ve Connection: Upgrade başlıklarını taşıyan sıradan bir GET. Cevabı 101 Switching Protocols'tür ve aynı iki başlığı geri yazar. Accept değeri şöyle bulunur: anahtarın sonuna sabit bir GUID eklenir, SHA-1'i alınır, base64'e çevrilir.",
        ask: "Cevabı herkes hesaplayabiliyorsa sunucu anahtarın hash'ini neden alıyor?",
      },
    },
  },
  {
    id: "server",
    lab: "connect",
    modes: ["polling", "socket"],
    bot: 5,
    handshake: false,
    text: {
      en: {
        title: "5. The socket server",
        run: "The chat bot at 5 messages a second",
        show: "The lesson's Deno.serve + new Set<WebSocket>() are here: server/app.ts: createApp() (the Hono route for /ws; npm run start:deno serves it with Deno.serve); server/transports/socket-hub.ts: SocketHub (the Set) and broadcast(), our loop over it (the lesson declares only the Set); socketEvents() onOpen",
        see: "One persistent, full-duplex, low-latency connection: the socket pane shows each message as it is stored; the polling pane in bursts, once a second.",
        ask: "What must the server do when a socket closes, and what happens if it forgets?",
      },
      tr: {
        title: "5. Soket sunucusu",
        run: "Sohbet botu saniyede 5 mesaj gönderir",
        show: "Dersteki Deno.serve + new Set<WebSocket>() burada: server/app.ts: createApp() (/ws için Hono rotası; npm run start:deno onu Deno.serve ile sunar); server/transports/socket-hub.ts: SocketHub (dersteki Set) ve broadcast(), Set üzerinde bizim yazdığımız döngü (ders yalnızca Set'i tanımlar); socketEvents() onOpen",
        see: "Sürekli, tam çift yönlü (full-duplex), düşük gecikmeli tek bağlantı: soket paneli her mesajı kaydedildiği anda gösterir; polling paneli ise saniyede bir, toplu olarak.",
        ask: "Bir soket kapandığında sunucu ne yapmalı, unutursa ne olur?",
      },
    },
  },
  {
    id: "client",
    lab: "restart",
    modes: ["polling", "socket"],
    bot: 1,
    text: {
      en: {
        title: "6. The socket client, and reconnecting",
        run: "Stop the server (Ctrl+C) for a few seconds, then npm start again",
        show: "clients/transports/socket.ts: connect(), the ?since= of its reconnect, and the backoff",
        see: "Every page says the server is not answering, and for how long; the socket pane is reconnecting. Then everything carries on: nothing missing, nothing twice, the counters go on, and the bot keeps its rate (the server keeps it, and the teacher URL, in data/).",
        ask: "Polling survived the restart without any extra code. What did the socket client need, and why?",
      },
      tr: {
        title: "6. Soket istemcisi ve yeniden bağlanma",
        run: "Sunucuyu birkaç saniye durdurun (Ctrl+C), sonra yeniden npm start çalıştırın",
        show: "clients/transports/socket.ts: connect(), yeniden bağlanırken gönderdiği ?since= ve artan bekleme",
        see: "Her sayfa sunucunun cevap vermediğini ve ne zamandır vermediğini yazar; soket paneli yeniden bağlanmaya çalışır. Sonra her şey kaldığı yerden devam eder: eksik yok, tekrar yok, sayaçlar sürer, bot hızını korur (sunucu onu ve öğretmen adresini data/ klasöründe saklar).",
        ask: "Polling yeniden başlatmayı ek kod olmadan atlattı. Soket istemcisi neye ihtiyaç duydu, neden?",
      },
    },
  },
  {
    id: "middle",
    modes: ["longpoll", "sse"],
    bot: 1,
    text: {
      en: {
        title: "7. Long polling and SSE: the middle ground",
        run: "The panes switch to long polling and Server-Sent Events",
        show: "clients/transports/long-polling.ts and clients/transports/sse.ts; server/transports/long-poll.ts and server/transports/sse-streams.ts",
        see: "Both deliver about as fast as the socket. Long polling still sends one request per message; SSE keeps one response open.",
        ask: "SSE only goes from server to client. Is that enough for a chat?",
      },
      tr: {
        title: "7. Long polling ve SSE: orta yol",
        run: "Paneller long polling ve Server-Sent Events'e geçer",
        show: "clients/transports/long-polling.ts ve clients/transports/sse.ts; server/transports/long-poll.ts ve server/transports/sse-streams.ts",
        see: "İkisi de neredeyse soket kadar hızlı. Long polling yine mesaj başına bir istek gönderir; SSE tek bir cevabı açık tutar.",
        ask: "SSE yalnızca sunucudan istemciye gider. Bir sohbet için bu yeterli mi?",
      },
    },
  },
  {
    id: "polling-wins",
    modes: ["conditional", "socket"],
    bot: 0,
    text: {
      en: {
        title: "8. When polling is the right answer",
        run: "The left pane polls with ETag / If-None-Match; the chat stays idle",
        show: "clients/transports/conditional-polling.ts; server/transports/etag.ts",
        see: "Idle polls come back 304 Not Modified with no body: here no cheaper than [] (the ETag headers cost more than its two bytes), but a big page would gain. Polling is plain HTTP: caches help, and every proxy and firewall lets it through.",
        ask: "A weather page that changes every ten minutes: polling or a WebSocket? And a multiplayer game?",
      },
      tr: {
        title: "8. Polling ne zaman doğru seçimdir",
        run: "Sol panel ETag / If-None-Match ile polling yapar; sohbet boşta kalır",
        show: "clients/transports/conditional-polling.ts; server/transports/etag.ts",
        see: "Boştaki istekler gövdesiz bir 304 Not Modified cevabı alır (burada []'den ucuz değil, hatta biraz pahalı; büyük bir sayfada ise kazandırır). Polling düz HTTP'dir: önbellekler işe yarar, her proxy ve güvenlik duvarı onu geçirir.",
        ask: "On dakikada bir değişen bir hava durumu sayfası: polling mi, WebSocket mi? Peki çok oyunculu bir oyun?",
      },
    },
  },
  {
    id: "scaling-out",
    modes: ["polling", "socket"],
    text: {
      en: {
        title: "9. Scaling out",
        run: "npm run start:cluster: Redis and two instances; /polling on :8000 beside /socket on :8001, and redis-cli monitor",
        show: "server/chat/chat.ts (store, then publish); server/scale-out/redis-broker.ts (PUBLISH, every instance subscribes); server/scale-out/redis-message-store.ts (INCR + a stream)",
        see: "A post on one instance reaches the other: pushed to its sockets, found by its pollers. Polling only needs the shared store; every held connection (socket, SSE, long poll) needs the broker.",
        ask: "One server holds every socket in a Set. What happens with two servers behind a load balancer?",
      },
      tr: {
        title: "9. Yatay ölçekleme",
        run: "npm run start:cluster: Redis ve sunucunun iki örneği; :8000'de /polling, yanında :8001'de /socket, bir de redis-cli monitor",
        show: "server/chat/chat.ts (önce kaydet, sonra yayınla); server/scale-out/redis-broker.ts (PUBLISH, her örnek abone olur); server/scale-out/redis-message-store.ts (INCR + bir Redis akışı)",
        see: "Bir örneğe gönderilen mesaj ötekine de ulaşır: onun soketlerine iletilir, polling istemcileri de onu bir sonraki istekte bulur. Polling'e ortak bir depo yeter; açık tutulan her bağlantı (soket, SSE, long polling isteği) bir aracıya ihtiyaç duyar.",
        ask: "Tek bir sunucu bütün soketleri bir Set'te tutar. Bir yük dengeleyicinin arkasında iki sunucu olursa ne olur?",
      },
    },
  },
  {
    id: "http2",
    modes: ["polling", "socket"],
    bot: 0,
    text: {
      en: {
        title: "10. Isn't HTTP/2 enough?",
        run: "npm start -- --https, then https://localhost:8443/ (accept the certificate); npm run bench -- --quick --http2",
        show: "server/node/https/https-server.ts: startSecureServer(), the same app over TLS, h2 and http/1.1 by ALPN; the pane's protocol counter",
        see: "The polling pane says h2. HPACK shrinks an idle poll several-fold (headers sent once, then ~1 byte each), but the requests, the empty answers, the half-interval latency and the server's work per request stay.",
        ask: "HTTP/2 makes each poll cheaper. Does it make the news arrive sooner?",
      },
      tr: {
        title: "10. HTTP/2 yetmez mi?",
        run: "npm start -- --https, sonra https://localhost:8443/ (sertifikayı kabul edin); npm run bench -- --quick --http2",
        show: "server/node/https/https-server.ts: startSecureServer(), aynı uygulama TLS üzerinden, ALPN ile h2 ve http/1.1; panelin protokol sayacı",
        see: "Polling paneli h2 yazar. HPACK boştaki bir isteği birkaç kat küçültür (başlıklar bir kez gider, sonra her biri ~1 bayt), ama istekler, boş cevaplar, ortalama yarım aralık süren gecikme ve sunucunun istek başına işi yerinde kalır.",
        ask: "HTTP/2 her isteği ucuzlatır. Haberin daha erken gelmesini sağlar mı?",
      },
    },
  },
];
