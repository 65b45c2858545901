import type { ExerciseId } from "../../shared/lab.ts";
import { labText } from "./words.ts";

/**
 * Each exercise starts from the lesson's own code (shared/lesson.txt): its renderMessages(), its polling loop, its
 * connect(). The lesson's `http://localhost:8000` works as it is: the lab's frame sends it to this room's server.
 * The slides append a div per message; here `show(message)` does, so the lab knows what was shown.
 */
export function startingCode(exercise: ExerciseId): string {
  switch (exercise) {
    case "fetch-once":
      return `async function renderMessages() {
  const response = await fetch("http://localhost:8000/messages");
  // ${labText("hint.fetch-once")}
}

renderMessages();
`;
    case "polling":
      return `async function pollMessages() {
  // initial render
  await renderMessages();
  setInterval(() => {
    renderMessages();
  }, 1000);
}

async function renderMessages() {
  const response = await fetch("http://localhost:8000/messages");
  const messages = await response.json();
  for (const message of messages) {
    show(message);
  }
}

pollMessages();
`;
    case "connect":
      return `function connect() {
  const socket = new WebSocket("ws://localhost:8000/ws");
  // ${labText("hint.connect-receive")}
  // ${labText("hint.connect-send")}
}

connect();
`;
    case "restart":
      return `let lastId = 0;

function connect() {
  const socket = new WebSocket("ws://localhost:8000/ws");
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.id === undefined) return; // { epoch }, an error or a heartbeat: not a message
    show(message);
    lastId = message.id;
  };
  // ${labText("hint.restart")}
}

connect();
`;
  }
}
