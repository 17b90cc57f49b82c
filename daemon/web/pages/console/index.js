// The sign-in page: a signed-in user goes straight to her screen; otherwise the form signs
// her in, and errors are said in the live region.
import { announce, homeOf, login, me } from "./console.js";

const form = document.getElementById("signin");
const user = document.getElementById("user");
const password = document.getElementById("password");
const submit = document.getElementById("submit");

me()
  .then((u) => {
    if (u) location.replace(homeOf(u.role));
  })
  .catch(() => {});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!user.value.trim() || !password.value) {
    announce("Nhập tên đăng nhập và mật khẩu.", "error");
    (user.value.trim() ? password : user).focus();
    return;
  }
  submit.disabled = true;
  form.setAttribute("aria-busy", "true");
  try {
    const signed = await login(user.value.trim().toLowerCase(), password.value);
    announce("Đăng nhập thành công, đang mở màn hình làm việc…");
    location.replace(homeOf(signed.role));
  } catch (e) {
    password.value = "";
    announce(e.message, "error");
    password.focus();
  } finally {
    submit.disabled = false;
    form.removeAttribute("aria-busy");
  }
});
