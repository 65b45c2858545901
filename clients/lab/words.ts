import type { Criterion, ExerciseId } from "../../shared/lab.ts";
import { language, type Language } from "../page/ui/i18n.ts";

/**
 * The lab's words in English and Turkish (docs/glossary.md: one Turkish word for each idea). The checklist's
 * sentences are made from the figures the server measured, so they are functions rather than fixed strings.
 */
type Figures = Record<string, number | string>;
type Sentence = (f: Figures) => string;

const EN = {
  title: "Lab: write the code",
  name: "your name",
  back: "the chat",
  run: "Run",
  stop: "Stop",
  restart: "Restart the server (for this run)",
  reset: "Start again from the lesson's code",
  checklist: "Checklist",
  output: "What show() received",
  idle: "Press Run: the server watches what your code does on the wire.",
  running: "Running… the checklist follows what the server measures.",
  stopped: "Stopped: your code no longer runs.",
  error: "Your code threw: {text}",
  "exercise.fetch-once": "1 · fetch once",
  "exercise.polling": "2 · the polling loop",
  "exercise.connect": "3 · connect()",
  "exercise.restart": "4 · bonus: survive a restart",
  "intro.fetch-once":
    "The lesson's renderMessages(): fetch the messages once and call show(message) for each. Then post a message from the chat: does it appear?",
  "intro.polling":
    "The lesson's polling loop: renderMessages() every 1000 ms with setInterval. Run it as it is and watch the repeats; then fix it with ?since=<last id>.",
  "intro.connect":
    "The lesson's connect(): one WebSocket on /ws. Show every message it brings (each frame is one message as JSON; the first, { epoch }, is not one: it has no id) and send one message with it.",
  "intro.restart":
    'Bonus: press "Restart the server" while your code runs. Reconnect, and resume with ?since=<last id>: nothing missing, nothing twice.',
  wire: "Seen by the server: {requests} requests, {upgrades} upgrades, {received} B received, {sent} B sent.",
  "hint.fetch-once": "TODO: read the JSON answer, then show(message) for each message",
  "hint.connect-receive":
    "TODO: socket.onmessage: the frame is the message (JSON.parse(event.data)): show it if it has an id",
  "hint.connect-send": "TODO: once open, send one message: socket.send(JSON.stringify({ user, text }))",
  "hint.restart": "TODO: on close, connect again with ?since=<last id>",
  "progress.title": "Lab",
  "progress.step": "step {step}: {passed} of {tried} passed",
  "progress.anonymous": "anonymous",
  "progress.nobody": "nobody",
  "progress.link": "the lab (/lab)",
  "progress.show": "show the code",
  "shown.named":
    "{name}'s code, as last run, and the server's verdict. Run runs it here in the lab's frame, never as the teacher.",
  "shown.anonymous":
    "A student's code, as last run, and the server's verdict. Run runs it here in the lab's frame, never as the teacher.",
  "shown.missing": "This student's code could not be shown: {error}",
};

const TR: typeof EN = {
  title: "Laboratuvar: kodu sen yaz",
  name: "adın",
  back: "sohbet",
  run: "Çalıştır",
  stop: "Durdur",
  restart: "Sunucuyu yeniden başlat (bu çalıştırma için)",
  reset: "Dersteki koda geri dön",
  checklist: "Kontrol listesi",
  output: "show()'a gelenler",
  idle: "Çalıştır'a bas: sunucu kodunun ağda ne yaptığını izler.",
  running: "Çalışıyor… kontrol listesi sunucunun ölçtüklerini izler.",
  stopped: "Durduruldu: kodun artık çalışmıyor.",
  error: "Kodun bir hata verdi: {text}",
  "exercise.fetch-once": "1 · bir kez fetch",
  "exercise.polling": "2 · polling döngüsü",
  "exercise.connect": "3 · connect()",
  "exercise.restart": "4 · bonus: sunucu yeniden başlasa da devam et",
  "intro.fetch-once":
    "Dersteki renderMessages(): mesajları bir kez al, her biri için show(message) çağır. Sonra sohbetten bir mesaj gönder: görünüyor mu?",
  "intro.polling":
    "Dersteki polling döngüsü: setInterval ile her 1000 ms'de bir renderMessages(). Önce olduğu gibi çalıştır, tekrarları izle; sonra ?since=<son id> ile düzelt.",
  "intro.connect":
    "Dersteki connect(): /ws adresine tek bir WebSocket. Getirdiği her mesajı göster (her çerçeve JSON olarak bir mesajdır; ilki, { epoch }, mesaj değildir: id'si yoktur) ve onunla bir mesaj gönder.",
  "intro.restart":
    'Bonus: kodun çalışırken "Sunucuyu yeniden başlat"a bas. Yeniden bağlan ve ?since=<son id> ile kaldığın yerden devam et: eksik yok, tekrar yok.',
  wire: "Sunucunun gördüğü: {requests} istek, {upgrades} upgrade, {received} B alındı, {sent} B gönderildi.",
  "hint.fetch-once": "YAPILACAK: JSON cevabı oku, sonra her mesaj için show(message)",
  "hint.connect-receive":
    "YAPILACAK: socket.onmessage: çerçeve mesajın kendisidir (JSON.parse(event.data)): id'si varsa göster",
  "hint.connect-send": "YAPILACAK: bağlantı açılınca bir mesaj gönder: socket.send(JSON.stringify({ user, text }))",
  "hint.restart": "YAPILACAK: bağlantı kapanınca ?since=<son id> ile yeniden bağlan",
  "progress.title": "Laboratuvar",
  "progress.step": "adım {step}: {tried} kişiden {passed} geçti",
  "progress.anonymous": "isimsiz",
  "progress.nobody": "henüz kimse yok",
  "progress.link": "laboratuvar (/lab)",
  "progress.show": "kodu göster",
  "shown.named":
    "{name} adlı öğrencinin son çalıştırdığı kod ve sunucunun kararı. Çalıştır düğmesi kodu burada, laboratuvarın korumalı çerçevesinde çalıştırır; kod hiçbir zaman öğretmen yetkisiyle çalışmaz.",
  "shown.anonymous":
    "Bir öğrencinin son çalıştırdığı kod ve sunucunun kararı. Çalıştır düğmesi kodu burada, laboratuvarın korumalı çerçevesinde çalıştırır; kod hiçbir zaman öğretmen yetkisiyle çalışmaz.",
  "shown.missing": "Bu öğrencinin kodu gösterilemedi: {error}",
};

export type LabKey = keyof typeof EN;
const WORDS: Record<Language, typeof EN> = { en: EN, tr: TR };

export function labText(key: LabKey, vars: Figures = {}): string {
  return WORDS[language()][key].replace(/\{(\w+)\}/g, (match, name: string) =>
    name in vars ? String(vars[name]) : match,
  );
}

export const exerciseName = (id: ExerciseId) => labText(`exercise.${id}` as LabKey);

/** Each criterion: what it asks (label), and the sentence its measured figures make, met or not. */
const CHECKS: Record<Language, Record<string, { label: string; ok: Sentence; fail: Sentence }>> = {
  en: {
    "fetched-once": {
      label: "Fetch once",
      ok: (f) => `fetched once in ${f.seconds} s`,
      fail: (f) => (f.polls === 0 ? "never fetched GET /messages" : `fetched ${f.polls}× in ${f.seconds} s`),
    },
    "shown-answer": {
      label: "Show what came",
      ok: (f) => `all ${f.expected} messages of the answer shown, once each`,
      fail: (f) => `${f.shown} of ${f.expected} messages of the answer shown, ${f.repeats} repeats`,
    },
    "never-new": {
      label: "New ones?",
      ok: (f) => `${f.later} messages arrived later and never appeared: that is why we poll`,
      fail: () => "",
    },
    "polls-every-second": {
      label: "Poll every 1000 ms",
      ok: (f) => `polled ${f.polls}× in ${f.seconds} s, every ${f.spacing} ms`,
      fail: (f) => `polled ${f.polls}× in ${f.seconds} s, every ${f.spacing} ms (the exercise: 1000 ms)`,
    },
    "uses-since": {
      label: "Ask with ?since=",
      ok: (f) => `${f.withSince} of ${f.polls} polls with ?since=`,
      fail: (f) => `polled without ?since=: ${f.withSince} of ${f.polls} polls carried it`,
    },
    "no-repeats": {
      label: "Nothing twice",
      ok: () => "0 repeats",
      fail: (f) =>
        f.repeats === 0
          ? "nothing shown yet"
          : `${f.withSince === 0 ? "polled without ?since=: " : ""}message #${f.worstId} shown ${f.worstTimes}× (${f.repeats} repeats)`,
    },
    "none-missing": {
      label: "Nothing missing",
      ok: (f) => `${f.shown} of ${f.expected} messages shown, latency ${f.latency} ms (median)`,
      fail: (f) =>
        f.expected === 0 ? "no message yet" : `${f.missing} of ${f.expected} missing (first: #${f.firstMissing})`,
    },
    "empty-answers": {
      label: "What it cost",
      ok: (f) => `${f.empty} empty answers of ${f.polls}; ${f.bytesIn} B sent, ${f.bytesOut} B received`,
      fail: () => "",
    },
    "one-socket": {
      label: "One socket",
      ok: (f) => `${f.upgrades} upgrade, ${f.maxOpen} socket open`,
      fail: (f) => `${f.upgrades} upgrades, up to ${f.maxOpen} sockets open at once`,
    },
    "no-polls": {
      label: "No polling",
      ok: () => "0 polls: the server pushes",
      fail: (f) => `${f.polls} polls beside the socket`,
    },
    "shows-each": {
      label: "Show each message once",
      ok: (f) => `${f.shown} of ${f.expected} messages shown once, latency ${f.latency} ms (median)`,
      fail: (f) =>
        f.expected === 0
          ? "no message arrived while the socket was open: send one"
          : `${f.missing} of ${f.expected} missing, ${f.repeats} repeats`,
    },
    sends: {
      label: "Send with it",
      ok: (f) => `${f.frames} frames sent on the socket`,
      fail: () => "nothing sent on the socket",
    },
    "socket-bytes": {
      label: "What it cost",
      ok: (f) => `${f.bytesIn} B sent, ${f.bytesOut} B received, upgrade included`,
      fail: () => "",
    },
    reconnects: {
      label: "Come back",
      ok: (f) => `cut ${f.cuts}×, back each time: ${f.upgrades} upgrades`,
      fail: (f) =>
        f.cuts === 0 ? "press Restart the server to test it" : `cut ${f.cuts}×, ${f.upgrades} upgrades: not back`,
    },
    limit: {
      label: "Within the limits",
      ok: () => "",
      fail: (f) => `limit hit: ${f.limit} (${LIMITS.en[f.limit as string] ?? ""})`,
    },
  },
  tr: {
    "fetched-once": {
      label: "Bir kez al",
      ok: (f) => `${f.seconds} s'de bir kez fetch edildi`,
      fail: (f) => (f.polls === 0 ? "GET /messages hiç istenmedi" : `${f.seconds} s'de ${f.polls} kez fetch edildi`),
    },
    "shown-answer": {
      label: "Geleni göster",
      ok: (f) => `cevaptaki ${f.expected} mesajın hepsi birer kez gösterildi`,
      fail: (f) => `cevaptaki ${f.expected} mesajdan ${f.shown} tanesi gösterildi, ${f.repeats} tekrar`,
    },
    "never-new": {
      label: "Yeniler?",
      ok: (f) => `sonradan ${f.later} mesaj geldi ve hiç görünmedi: polling bu yüzden var`,
      fail: () => "",
    },
    "polls-every-second": {
      label: "Her 1000 ms'de bir istek",
      ok: (f) => `${f.seconds} s'de ${f.polls} istek, ${f.spacing} ms arayla`,
      fail: (f) => `${f.seconds} s'de ${f.polls} istek, ${f.spacing} ms arayla (istenen: 1000 ms)`,
    },
    "uses-since": {
      label: "?since= ile sor",
      ok: (f) => `${f.polls} isteğin ${f.withSince} tanesi ?since= ile`,
      fail: (f) => `?since= olmadan polling: ${f.polls} isteğin yalnızca ${f.withSince} tanesinde var`,
    },
    "no-repeats": {
      label: "Hiçbiri iki kez değil",
      ok: () => "0 tekrar",
      fail: (f) =>
        f.repeats === 0
          ? "henüz hiçbir şey gösterilmedi"
          : `${f.withSince === 0 ? "?since= olmadan polling: " : ""}#${f.worstId} numaralı mesaj ${f.worstTimes} kez gösterildi (${f.repeats} tekrar)`,
    },
    "none-missing": {
      label: "Eksik yok",
      ok: (f) => `${f.expected} mesajın ${f.shown} tanesi gösterildi, gecikme ${f.latency} ms (medyan)`,
      fail: (f) =>
        f.expected === 0
          ? "henüz mesaj yok"
          : `${f.expected} mesajdan ${f.missing} tanesi eksik (ilki: #${f.firstMissing})`,
    },
    "empty-answers": {
      label: "Maliyeti",
      ok: (f) => `${f.polls} cevabın ${f.empty} tanesi boş; ${f.bytesIn} B gönderildi, ${f.bytesOut} B alındı`,
      fail: () => "",
    },
    "one-socket": {
      label: "Tek soket",
      ok: (f) => `${f.upgrades} upgrade, ${f.maxOpen} açık soket`,
      fail: (f) => `${f.upgrades} upgrade, aynı anda en çok ${f.maxOpen} açık soket`,
    },
    "no-polls": {
      label: "Polling yok",
      ok: () => "0 istek: mesajları sunucu gönderiyor",
      fail: (f) => `soketin yanında ${f.polls} polling isteği`,
    },
    "shows-each": {
      label: "Her mesajı bir kez göster",
      ok: (f) => `${f.expected} mesajın ${f.shown} tanesi birer kez gösterildi, gecikme ${f.latency} ms (medyan)`,
      fail: (f) =>
        f.expected === 0
          ? "soket açıkken hiç mesaj gelmedi: bir tane gönder"
          : `${f.expected} mesajdan ${f.missing} tanesi eksik, ${f.repeats} tekrar`,
    },
    sends: {
      label: "Onunla gönder",
      ok: (f) => `sokette ${f.frames} çerçeve gönderildi`,
      fail: () => "sokette hiçbir şey gönderilmedi",
    },
    "socket-bytes": {
      label: "Maliyeti",
      ok: (f) => `${f.bytesIn} B gönderildi, ${f.bytesOut} B alındı, upgrade dahil`,
      fail: () => "",
    },
    reconnects: {
      label: "Geri gel",
      ok: (f) => `${f.cuts} kez kesildi, her seferinde geri geldi: ${f.upgrades} upgrade`,
      fail: (f) =>
        f.cuts === 0
          ? "denemek için Sunucuyu yeniden başlat'a bas"
          : `${f.cuts} kez kesildi, ${f.upgrades} upgrade: geri gelmedi`,
    },
    limit: {
      label: "Sınırların içinde",
      ok: () => "",
      fail: (f) => `sınıra takıldı: ${f.limit} (${LIMITS.tr[f.limit as string] ?? ""})`,
    },
  },
};

/** The limits lab code can reach, by their names in server/limits/. */
const LIMITS: Record<Language, Record<string, string>> = {
  en: {
    LAB_REQUESTS_PER_SECOND: "too many requests a second from one run: the server answered 429",
    LAB_SOCKETS_PER_RUN: "too many sockets open at once from one run: the upgrade got 429",
    SOCKET_MESSAGES_PER_SECOND: "too many frames a second: the server closed the socket (1008)",
  },
  tr: {
    LAB_REQUESTS_PER_SECOND: "bir çalıştırmadan saniyede çok fazla istek: sunucu 429 ile cevap verdi",
    LAB_SOCKETS_PER_RUN: "bir çalıştırmadan aynı anda çok fazla soket: upgrade 429 aldı",
    SOCKET_MESSAGES_PER_SECOND: "saniyede çok fazla çerçeve: sunucu soketi kapattı (1008)",
  },
};

/** A criterion's label and the sentence of its figures, in the page's language. */
export function describe(check: Criterion): { label: string; figure: string } {
  const words = CHECKS[language()][check.key];
  if (!words) return { label: check.key, figure: JSON.stringify(check.figures) };
  return { label: words.label, figure: (check.ok ? words.ok : words.fail)(check.figures) };
}
