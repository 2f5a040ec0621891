// The drawing page: sends the drawing as a PNG to the server, which preprocesses it as `runtime predict`
// does, and shows its answer. No preprocessing here.
"use strict";

const UPDATE_MS = 150;  // while drawing, at most one request per this many milliseconds
const ROUTES = { digits: "/predict?top_k=10&image=1", greek: "/greek/classify?k=5&image=1" };
const pad = document.getElementById("pad");
const ink = pad.getContext("2d");
let drawing = false, inked = false, timer = null, busy = false, again = false;

function mode() {
  return document.querySelector("input[name=mode]:checked").value;
}

function blank() {
  ink.fillStyle = "#fff";
  ink.fillRect(0, 0, pad.width, pad.height);
  ink.lineWidth = pad.width / 14;
  ink.lineCap = ink.lineJoin = "round";
  ink.strokeStyle = "#000";
  inked = false;
}

function point(event) {
  const box = pad.getBoundingClientRect();
  return [(event.clientX - box.left) * pad.width / box.width, (event.clientY - box.top) * pad.height / box.height];
}

pad.addEventListener("pointerdown", (event) => {
  drawing = inked = true;
  pad.setPointerCapture(event.pointerId);
  ink.beginPath();
  ink.moveTo(...point(event));
  ink.lineTo(...point(event));
  ink.stroke();
});
pad.addEventListener("pointermove", (event) => {
  if (!drawing) return;
  ink.lineTo(...point(event));
  ink.stroke();
  timer ??= setTimeout(() => { timer = null; send(); }, UPDATE_MS);
});
for (const end of ["pointerup", "pointercancel"]) {
  pad.addEventListener(end, () => {
    if (!drawing) return;
    drawing = false;
    clearTimeout(timer);
    timer = null;
    send();
  });
}

// One request at a time; a drawing that changed meanwhile is sent when the answer is in.
async function send() {
  if (!inked) return;
  if (busy) { again = true; return; }
  busy = true;
  const route = mode();
  try {
    const picture = await new Promise((done) => pad.toBlob(done, "image/png"));
    const answer = await fetch(ROUTES[route],
                               { method: "POST", headers: { "Content-Type": "image/png" }, body: picture });
    const body = await answer.json();
    if (inked) show(route, answer.ok ? body[0] : body);
  } catch (error) {
    say(`no answer from the server (${error.message})`);
  } finally {
    busy = false;
    if (again) { again = false; send(); }
  }
}

function show(route, entry) {
  reset();
  if (entry.error) { say(entry.error); return; }
  seen(entry.image);
  if (route === "digits") {
    if (entry.is_digit) result(String(entry.digit), `p = ${entry.probability.toFixed(3)}`);
    else result("not a digit", `best guess ${entry.digit}, p = ${entry.probability.toFixed(2)}`, true);
    bars(entry.top);
  } else {
    result(entry.label, "");
    neighbours(entry.neighbours);
  }
}

function result(text, detail, rejected = false) {
  const out = document.getElementById("result");
  out.classList.toggle("rejected", rejected);
  out.textContent = text;
  out.dataset.value = text;
  document.getElementById("confidence").textContent = detail;
}

function bars(top) {
  const list = document.getElementById("bars");
  const best = top[0].digit;
  for (const { digit, probability } of [...top].sort((a, b) => a.digit - b.digit)) {
    const row = document.createElement("li");
    row.className = digit === best ? "best" : "";
    const width = (100 * probability).toFixed(1);
    row.innerHTML = `<b>${digit}</b><div class="bar"><span style="width:${width}%"></span></div>` +
      `<small>${probability.toFixed(3)}</small>`;
    list.append(row);
  }
}

function neighbours(near) {
  const list = document.getElementById("neighbours");
  list.hidden = false;
  for (const { label, distance } of near) {
    const row = document.createElement("li");
    row.append(Object.assign(document.createElement("span"), { textContent: label }),
               Object.assign(document.createElement("small"), { textContent: `distance ${distance.toFixed(3)}` }));
    list.append(row);
  }
}

// The 28x28 input the network saw: values in [0, 1], ink bright, as grey levels.
function seen(rows) {
  const view = document.getElementById("seen").getContext("2d");
  const pixels = view.createImageData(28, 28);
  rows.flat().forEach((value, i) => {
    pixels.data.fill(Math.round(255 * value), 4 * i, 4 * i + 3);
    pixels.data[4 * i + 3] = 255;
  });
  view.putImageData(pixels, 0, 0);
}

function say(text) {
  document.getElementById("message").textContent = text;
}

function reset() {
  result("?", "");
  say("");
  document.getElementById("bars").replaceChildren();
  const near = document.getElementById("neighbours");
  near.replaceChildren();
  near.hidden = true;
  document.getElementById("seen").getContext("2d").clearRect(0, 0, 28, 28);
}

document.getElementById("clear").addEventListener("click", () => { blank(); reset(); });
for (const choice of document.querySelectorAll("input[name=mode]")) {
  choice.addEventListener("change", () => { reset(); send(); });
}
blank();
