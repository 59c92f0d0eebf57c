// The only module that talks to the server's socket (/ws): hello, ids, acknowledgements, reconnection.
// A seat's resume token is kept in sessionStorage, so a reload or a dropped Wi-Fi returns to the same seat.

const MAX_BACKOFF_MS = 10000;

export function resumeKey(room) {
  return "alliance-desk.resume." + room;
}

export class RoomConnection {
  // options: room, code (seat code, facilitator key or projector token), language,
  // onMessage(message), onStatus(status, detail) with status "connecting" | "open" | "closed" | "refused".
  constructor(options) {
    this.room = options.room;
    this.code = options.code || "";
    this.language = options.language || "en";
    this.onMessage = options.onMessage;
    this.onStatus = options.onStatus || (() => {});
    this.nextId = 1;
    this.pending = new Map();
    this.attempt = 0;
    this.socket = null;
    this.welcomed = false;
    this.stopped = false;
  }

  connect() {
    this.stopped = false;
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(scheme + "//" + location.host + "/ws");
    this.socket = socket;
    this.welcomed = false;
    this.onStatus("connecting");
    socket.addEventListener("open", () => {
      const resume = sessionStorage.getItem(resumeKey(this.room));
      const hello = { type: "hello", room: this.room, language: this.language };
      if (resume) {
        hello.resume = resume;
      } else {
        hello.code = this.code;
      }
      this.usedResume = Boolean(resume);
      socket.send(JSON.stringify(hello));
    });
    socket.addEventListener("message", (event) => this.receive(event.data));
    socket.addEventListener("close", () => this.closed(socket));
  }

  receive(data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch (error) {
      return;
    }
    if (message.type === "welcome") {
      this.welcomed = true;
      this.attempt = 0;
      if (message.resume) {
        sessionStorage.setItem(resumeKey(this.room), message.resume);
      }
      this.onStatus("open");
    } else if (!this.welcomed && (message.type === "error" || message.type === "rejected")) {
      // The hello was refused: a stale resume token is dropped and the seat code tried once more.
      if (this.usedResume && this.code) {
        sessionStorage.removeItem(resumeKey(this.room));
      } else {
        this.stopped = true;
        sessionStorage.removeItem(resumeKey(this.room));
        this.onStatus("refused", message.message);
      }
    } else if (message.type === "bye") {
      this.stopped = true;
      sessionStorage.removeItem(resumeKey(this.room));
      this.onStatus("refused", message.reason);
    }
    if (message.type === "ack" || message.type === "rejected" || message.type === "exported") {
      const done = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (done) {
        done(message);
      }
    }
    this.onMessage(message);
  }

  closed(socket) {
    if (socket !== this.socket) {
      return;
    }
    this.onStatus("closed");
    if (this.stopped) {
      return;
    }
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempt) * (0.75 + Math.random() / 2);
    this.attempt += 1;
    setTimeout(() => this.connect(), delay);
  }

  // Sends one command; returns its id. `whenDone(reply)` gets its ack, rejected or exported.
  send(type, fields, whenDone) {
    const id = this.nextId++;
    if (whenDone) {
      this.pending.set(id, whenDone);
    }
    if (this.socket && this.socket.readyState === WebSocket.OPEN && this.welcomed) {
      this.socket.send(JSON.stringify(Object.assign({ type: type, id: id }, fields || {})));
    }
    return id;
  }

  setLanguage(language) {
    this.language = language;
    return this.send("set_language", { language: language });
  }

  close() {
    this.stopped = true;
    if (this.socket) {
      this.socket.close();
    }
  }
}
