// Goals and steps made on this device first, so a ladder can grow with no connection.
// Online, the page then shows the server's own view; offline, the new rung shows here.
import { showFieldError } from "./app.js";
import * as store from "./store.js";
import * as sync from "./sync.js";

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function flash(message) {
  document.querySelectorAll("main > .flash").forEach((old) => old.remove());
  const note = element("p", "flash flash-info", message);
  note.setAttribute("role", "status");
  document.getElementById("main").prepend(note);
}

/** Return whether the change reached the server. */
async function sendNow() {
  if (!navigator.onLine) return false;
  await sync.drain();
  return (await store.all("outbox")).length === 0 && !sync.state.unreachable;
}

function requireTitle(form) {
  const input = form.elements.title;
  const empty = !input.value.trim();
  showFieldError(input, empty ? "Give it a name." : "");
  if (empty) input.focus();
  return !empty;
}

async function addGoal(event) {
  const form = event.currentTarget;
  event.preventDefault();
  if (!requireTitle(form)) return;
  const data = { title: form.elements.title.value.trim(), why: form.elements.why.value.trim() };
  const goal = { type: "goal", id: crypto.randomUUID(), updated_at: store.nextStamp(), deleted: false, data };
  await sync.keep(goal);
  if (await sendNow()) {
    location.assign(`/goals/${goal.id}`);
    return;
  }
  let goals = document.querySelector("ul.goals");
  if (!goals) {
    goals = element("ul", "goals");
    document.querySelector("main .card .empty")?.replaceWith(goals);
  }
  const item = element("li", "goal");
  item.append(element("h2", "", data.title));
  if (data.why) item.append(element("p", "why", data.why));
  item.append(element("p", "hint", "Saved on this device. Its page opens once it has synced."));
  goals.append(item);
  form.reset();
  flash("Goal added. It will sync when you're back online.");
}

async function addStep(event) {
  const form = event.currentTarget;
  event.preventDefault();
  if (!requireTitle(form)) return;
  const goalId = form.action.match(/\/goals\/([^/]+)\/steps/)[1];
  const parent = form.elements.parent_step_id?.value || null;
  const target = form.elements.weekly_target.value;
  const data = {
    title: form.elements.title.value.trim(),
    goal_id: goalId,
    parent_step_id: parent,
    weekly_target: target ? Number(target) : null,
    pairing: form.elements.pairing.value.trim(),
  };
  const step = { type: "step", id: crypto.randomUUID(), updated_at: store.nextStamp(), deleted: false, data };
  await sync.keep(step);
  if (await sendNow()) {
    location.reload();
    return;
  }
  const rung = element("li", "rung");
  rung.append(element("p", "rung-title", data.title));
  rung.append(element("p", "rung-meta", "Saved on this device; it syncs when you're back online."));
  const parentRung = parent && document.getElementById(`step-${parent}`);
  if (parentRung) {
    const depth = Number((parentRung.className.match(/depth-(\d)/) || [0, 0])[1]);
    rung.classList.add(`depth-${Math.min(depth + 1, 3)}`);
    parentRung.after(rung);
  } else {
    let ladder = document.querySelector("ol.ladder");
    if (!ladder) {
      ladder = element("ol", "ladder");
      document.querySelector("#ladder-title ~ .empty")?.replaceWith(ladder);
    }
    rung.classList.add("depth-0");
    ladder.append(rung);
  }
  form.reset();
  form.closest("details")?.removeAttribute("open");
  flash("Added. Small is good.");
}

/** Take over the goal and step forms on this page. */
export function init() {
  for (const form of document.querySelectorAll("form[action$='/goals']")) {
    form.addEventListener("submit", addGoal);
  }
  for (const form of document.querySelectorAll("form[action$='/steps']")) {
    form.addEventListener("submit", addStep);
  }
}
