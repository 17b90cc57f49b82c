// The desk console's shared module (docs/console.md): sign-in, the command API, live
// events and a few DOM helpers for every screen. Text goes into the page only as text
// (textContent): nothing a server or a citizen typed is ever parsed as HTML.

let csrf = null; // the session's token, sent with every POST

// The screen of each role (an admin works on the supervisor's).
const homes = {
  clerk: "/console/clerk.html",
  supervisor: "/console/supervisor.html",
  technician: "/console/technician.html",
  admin: "/console/supervisor.html",
};

export function homeOf(role) {
  return homes[role] || "/console/";
}

function failure(code, message, status) {
  const error = new Error(message || code);
  error.code = code;
  error.status = status;
  return error;
}

// One request to the box; the parsed answer, or an Error with .code and .message.
async function request(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method === "POST" && csrf) headers["X-CSRF-Token"] = csrf;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch (e) {
    throw failure("network", "Không kết nối được với máy chủ: kiểm tra mạng rồi thử lại.", 0);
  }
  let answer = null;
  try {
    answer = await response.json();
  } catch (e) {
    throw failure("bad_answer", "Máy chủ trả lời không đúng dạng (mã " + response.status + ").", response.status);
  }
  if (!answer || answer.ok !== true) {
    const e = (answer && answer.error) || {};
    throw failure(e.code || "error", e.message || "Lỗi " + response.status, response.status);
  }
  return answer.result;
}

// The signed-in user ({user, role, counters, csrf, expires_at}) or null.
export async function me() {
  try {
    const user = await request("GET", "/api/me");
    csrf = user.csrf;
    return user;
  } catch (e) {
    if (e.code === "unauthenticated") {
      csrf = null;
      return null;
    }
    throw e;
  }
}

// Signs in; the user as me() gives it. Errors: bad_login, locked, disabled, too_many_requests.
export async function login(user, password) {
  const result = await request("POST", "/api/login", { user, password });
  csrf = result.csrf;
  return result;
}

export async function logout() {
  if (!csrf) await me();
  try {
    await request("POST", "/api/logout", {});
  } finally {
    csrf = null;
  }
}

// Signs out and goes back to the sign-in page, whatever the server answered.
export async function signOut() {
  try {
    await logout();
  } finally {
    location.assign("/console/");
  }
}

// Runs a command of the control protocol (docs/control-protocol.md) as the signed-in user.
export async function api(command, args = {}) {
  if (!csrf) await me();
  return request("POST", "/api/v1/" + encodeURIComponent(command), args);
}

// Live events: onEvent({type: "queue" | "devices" | "hello" | "reload", id, data}). The
// browser reconnects by itself (resuming after the last id); when the stream is refused
// (signed out) it tries again a little later. Returns {close()}.
export function events(topics, onEvent) {
  const list = Array.isArray(topics) ? topics : String(topics).split(",");
  const url = "/api/v1/events?topics=" + encodeURIComponent(list.join(","));
  let source = null;
  let retry = null;
  let closed = false;
  const forward = (type) => (e) => {
    let data = null;
    try {
      data = JSON.parse(e.data);
    } catch (err) {
      data = e.data;
    }
    onEvent({ type, id: e.lastEventId || null, data });
  };
  const open = () => {
    if (closed) return;
    source = new EventSource(url);
    for (const type of ["hello", "queue", "devices", "reload"]) source.addEventListener(type, forward(type));
    source.onerror = () => {
      if (source.readyState !== EventSource.CLOSED || closed) return; // the browser retries
      retry = setTimeout(async () => {
        if ((await me().catch(() => null)) === null) {
          location.assign("/console/");
          return;
        }
        open();
      }, 3000);
    };
  };
  open();
  return {
    close() {
      closed = true;
      clearTimeout(retry);
      if (source) source.close();
    },
  };
}

// A DOM element: el("button", {type: "button", onclick: f, "aria-label": "Gọi số"}, "Gọi").
// Attributes: on* functions become listeners, `class` the class, true an empty attribute,
// false/null/undefined nothing. Children: strings and numbers as text, nodes, arrays.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "class") node.className = value;
    else if (key === "value") node.value = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  const add = (child) => {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) child.forEach(add);
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  };
  children.forEach(add);
  return node;
}

// Says `text` in the page's live region (a screen reader reads it); kind "error" marks it.
export function announce(text, kind = "status") {
  let region = document.getElementById("announce");
  if (!region) {
    region = el("div", { id: "announce", class: "announce", role: "status", "aria-live": "polite", "aria-atomic": "true" });
    document.body.appendChild(region);
  }
  region.dataset.kind = kind;
  region.textContent = "";
  // A fresh text node, a moment later: the same message twice is read twice.
  setTimeout(() => {
    region.textContent = text;
  }, 30);
}

// At the top of a screen: the signed-in user when her role is one of `roles`; otherwise
// she is sent to the sign-in page (or her own screen) and this never resolves.
export async function requireRole(...roles) {
  const user = await me().catch(() => null);
  if (!user) {
    location.assign("/console/");
    return new Promise(() => {});
  }
  if (roles.length && !roles.includes(user.role) && user.role !== "admin") {
    location.assign(homeOf(user.role));
    return new Promise(() => {});
  }
  return user;
}
