"""A real Label Studio server for the tests marked ``labelstudio``, one per test session.

The server is the ``label-studio`` executable installed next to the test interpreter (nothing is installed at
run time). It listens on a free 127.0.0.1 port with a temporary data folder and a known legacy token, and is
stopped by its process id when the session ends.

A fresh data folder takes tens of seconds to migrate, so one is made with ``label-studio init`` and kept in
pytest's cache (keyed by the Label Studio version); each session starts from a copy of it in seconds.

Without the executable the tests are skipped, except under ``CI=true``, where they fail: a CI run must never
pass by skipping the tests that talk to a real server. ``Editor`` opens a task in the server's own editor in
headless Chromium (the same rule applies to Chromium), to measure what an annotator's selection saves.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from browser import chromium, in_ci

REPO = Path(__file__).resolve().parents[1]
EXECUTABLE = Path(sys.executable).parent / "label-studio"
USERNAME = "tests@newsgold.invalid"
STARTUP_TIMEOUT = 240.0
MARKER = "newsgold-template.json"


@dataclass
class LabelStudioServer:
    url: str
    api_key: str
    pid: int
    startup_seconds: float
    username: str = USERNAME
    password: str = ""


def _environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABEL_STUDIO_", "DJANGO_"))}
    # Without its own data folder Label Studio writes into the home folder; no error reports, no update checks.
    env.update(LABEL_STUDIO_BASE_DATA_DIR=str(data_dir), SENTRY_DSN="", LATEST_VERSION_CHECK="false")
    return env


def _version() -> str:
    from importlib.metadata import version

    return version("label-studio")


def _template(folder: Path) -> tuple[Path, dict[str, str]]:
    """A data folder made once by ``label-studio init`` (user, legacy token) in ``folder``, then reused.

    The account is written inside the folder before it is moved into place, so a template and its account
    appear together; when two sessions build one at once, the first in place wins and the other is dropped.
    """
    template = folder / "data"
    marker = template / MARKER
    if marker.exists():
        return template, json.loads(marker.read_text(encoding="utf-8"))
    shutil.rmtree(template, ignore_errors=True)  # left by an init that never finished
    account = {"username": USERNAME, "password": secrets.token_hex(12), "token": secrets.token_hex(20)}
    building = Path(tempfile.mkdtemp(prefix="data-", dir=folder))
    log = folder / "init.log"
    with log.open("w") as stream:
        done = subprocess.run(
            [str(EXECUTABLE), "init", "--no-browser", "--quiet", "--username", account["username"], "--password",
             account["password"], "--user-token", account["token"], "--enable-legacy-api-token"],
            env=_environment(building), cwd=building, stdout=stream, stderr=subprocess.STDOUT, timeout=600,
            check=False)
    if done.returncode != 0:
        shutil.rmtree(building, ignore_errors=True)
        pytest.fail(f"label-studio init failed ({done.returncode}); see {log}")
    (building / MARKER).write_text(json.dumps(account), encoding="utf-8")
    try:
        building.rename(template)
    except OSError:
        shutil.rmtree(building, ignore_errors=True)
    return template, json.loads(marker.read_text(encoding="utf-8"))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def _start(data_dir: Path, account: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], str, float]:
    """Start on a free port; a server that moved to another port (the old one was taken meanwhile) is retried."""
    for _ in range(3):
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        began = time.monotonic()
        with log.open("ab") as stream:
            process = subprocess.Popen(
                [str(EXECUTABLE), "start", "--no-browser", "--internal-host", "127.0.0.1", "--port", str(port),
                 "--username", account["username"], "--password", account["password"],
                 "--user-token", account["token"], "--enable-legacy-api-token"],
                env=_environment(data_dir), cwd=data_dir, stdout=stream, stderr=subprocess.STDOUT)
        if _ready(process, url, account["token"]):
            return process, url, time.monotonic() - began
        _stop(process)
        if b"is in use" not in log.read_bytes():
            pytest.fail(f"Label Studio did not start; see {log}")
    pytest.fail(f"Label Studio found no free port; see {log}")


def _ready(process: subprocess.Popen[bytes], url: str, token: str) -> bool:
    """True once /health answers and our token is accepted, which proves the answer is our server's."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                who = httpx.get(f"{url}/api/current-user/whoami", headers={"Authorization": f"Token {token}"},
                                timeout=10)
                return who.status_code == 200 and who.json().get("email") == USERNAME
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    return False


@pytest.fixture(scope="session")
def label_studio_server(request: pytest.FixtureRequest,
                        tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabelStudioServer]:
    if not EXECUTABLE.exists():
        reason = f"label-studio is not installed next to {sys.executable} (pip install -e '.[test]')"
        if in_ci():
            pytest.fail(f"CI=true: {reason}")
        pytest.skip(reason)
    cache = getattr(request.config, "cache", None)  # absent under -p no:cacheprovider
    folder = cache.mkdir(f"label-studio-{_version()}") if cache else tmp_path_factory.mktemp("label-studio-template")
    template, account = _template(folder)
    session = tmp_path_factory.mktemp("label-studio")
    data_dir = session / "data"
    shutil.copytree(template, data_dir)
    process, url, seconds = _start(data_dir, account, session / "server.log")
    try:
        yield LabelStudioServer(url, account["token"], process.pid, seconds, account["username"], account["password"])
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def labelstudio_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small fixture tree with the labeling configs, built once by the code under test (copy it to write)."""
    from conftest import MINI, copy_tree
    from newsgold.release.build import build

    root = copy_tree(MINI, tmp_path_factory.mktemp("labelstudio-tree") / "mini")
    shutil.copytree(REPO / "annotation" / "labelstudio", root / "annotation" / "labelstudio")
    build(root)
    return root


# --- the editor in a headless browser ------------------------------------------------------------------------
#
# What the Label Studio editor writes for a selection (its offset unit, its text) is only known by asking the
# editor. ``Editor`` drives it in headless Chromium through the DevTools protocol, over a websocket spoken with
# the standard library so that the tests install nothing.



class DevTools:
    """The DevTools protocol over one websocket: enough of RFC 6455 for a local browser (text frames)."""

    def __init__(self, ws_url: str) -> None:
        import base64

        host_port, path = ws_url.removeprefix("ws://").split("/", 1)
        host, port = host_port.split(":")
        self.socket = socket.create_connection((host, int(port)), timeout=120)
        key = base64.b64encode(os.urandom(16)).decode()
        self.socket.sendall((f"GET /{path} HTTP/1.1\r\nHost: {host_port}\r\nUpgrade: websocket\r\n"
                             f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
                             ).encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += self.socket.recv(1)
        assert b" 101 " in answer.split(b"\r\n")[0], answer
        self.last_id = 0

    def _read(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = self.socket.recv(size - len(data))
            if not chunk:
                raise EOFError("the browser closed the connection")
            data += chunk
        return data

    def _send(self, message: dict[str, object]) -> None:
        import struct

        data = json.dumps(message).encode()
        header = bytearray([0x81])  # a final text frame
        if len(data) < 126:
            header.append(0x80 | len(data))
        elif len(data) < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack(">H", len(data))
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", len(data))
        mask = os.urandom(4)  # a client masks every frame
        self.socket.sendall(bytes(header) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _receive(self) -> dict[str, object]:
        import struct

        payload = b""
        while True:
            first, second = self._read(2)
            size = second & 0x7F
            if size == 126:
                size = struct.unpack(">H", self._read(2))[0]
            elif size == 127:
                size = struct.unpack(">Q", self._read(8))[0]
            data = self._read(size)
            if first & 0x0F in (0x9, 0xA):
                continue  # ping and pong carry no message
            payload += data
            if first & 0x80:
                message: dict[str, object] = json.loads(payload)
                return message

    def call(self, method: str, **params: object) -> dict[str, object]:
        self.last_id += 1
        self._send({"id": self.last_id, "method": method, "params": params})
        while True:
            message = self._receive()
            if message.get("id") == self.last_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})  # type: ignore[return-value]

    def evaluate(self, expression: str) -> object:
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:80]}…: {result['exceptionDetails']}")
        return result["result"].get("value")  # type: ignore[union-attr]

    def wait_for(self, expression: str, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while not self.evaluate(expression):
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout:.0f} s for {expression}")
            time.sleep(0.5)


# Selects [start, end) of the raw text (UTF-16 offsets, as the DOM counts; a <br> is the line break) in the
# editor's text, with a label chosen, as an annotator's mouse would; returns the editor's newest result.
_SELECT = """(async () => {
  const annotation = Htx.annotationStore.selected;
  const label = annotation.names.get(%(control)s).children.find(l => l.value === %(label)s);
  if (!label.selected) label.toggleSelected();
  const root = document.querySelector('.lsf-htx-richtext');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  const wanted = [%(start)d, %(end)d], found = [null, null];
  let position = 0, node;
  while ((node = walker.nextNode())) {
    if (node.nodeName === 'BR') { position += 1; continue; }
    if (node.nodeType !== Node.TEXT_NODE) continue;
    for (const k of [0, 1]) {
      const inside = wanted[k] >= position && wanted[k] <= position + node.length;
      if (!found[k] && inside) found[k] = [node, wanted[k] - position];
    }
    position += node.length;
  }
  const range = document.createRange();
  range.setStart(...found[0]);
  range.setEnd(...found[1]);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
  root.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
  await new Promise(done => setTimeout(done, 300));
  const results = annotation.serializeAnnotation();
  return results[results.length - 1];
})()"""


class Editor:
    """One labeling task open in the editor of a live server, in headless Chromium."""

    def __init__(self, server: LabelStudioServer, folder: Path) -> None:
        self.server = server
        port = _free_port()
        self.log = folder / "chromium.log"
        with self.log.open("wb") as stream:
            self.process = subprocess.Popen(
                [chromium(), "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 f"--remote-debugging-port={port}", f"--user-data-dir={folder / 'profile'}", "about:blank"],
                stdout=stream, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                pages = httpx.get(f"http://127.0.0.1:{port}/json/list", timeout=2).json()
                page = next(p for p in pages if p.get("type") == "page")
                break
            except (httpx.HTTPError, StopIteration, ValueError):
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.close()
                    pytest.fail(f"Chromium did not start; see {self.log}")
                time.sleep(0.5)
        self.tools = DevTools(page["webSocketDebuggerUrl"])
        self.tools.call("Page.enable")
        self.logged_in = False

    def open(self, project_id: int, task_id: int, shown: str = ".lsf-htx-richtext .lsf-richtext__line") -> None:
        """Open a task in the editor (logging in first, once) and wait until ``shown`` is on the page."""
        tools, server = self.tools, self.server
        if not self.logged_in:
            tools.call("Page.navigate", url=f"{server.url}/user/login/")
            tools.wait_for("!!document.querySelector('input[name=password]')")
            tools.evaluate(f"""(() => {{
                document.querySelector('input[name=email]').value = {json.dumps(server.username)};
                document.querySelector('input[name=password]').value = {json.dumps(server.password)};
                document.querySelector('form').submit(); }})()""")
            tools.wait_for("!location.pathname.startsWith('/user/login')")
            self.logged_in = True
        ready = ("!!(window.Htx && Htx.annotationStore && Htx.annotationStore.selected "
                 f"&& document.querySelector({json.dumps(shown)}))")
        # Now and then the data manager's first load of a task never renders the editor (seen once in many runs
        # on a loaded machine); a second load of the page, as a person would reload it, does.
        for attempt in (1, 2):
            tools.call("Page.navigate", url=f"{server.url}/projects/{project_id}/data?task={task_id}")
            try:
                tools.wait_for(ready, timeout=90.0)
                break
            except TimeoutError:
                if attempt == 2:
                    raise
        time.sleep(1)  # the data manager settles the labeling stream once more after the first render

    def results(self) -> list[dict[str, object]]:
        """What the editor would save for the annotation it shows."""
        found = self.tools.evaluate("Htx.annotationStore.selected.serializeAnnotation()")
        assert isinstance(found, list), found
        return found

    def select(self, control: str, label: str, start: int, end: int) -> dict[str, object]:
        # The editor may still be rendering the task it just loaded: wait until its text is on the page.
        self.tools.wait_for("!!document.querySelector('.lsf-htx-richtext .lsf-richtext__line')")
        found = self.tools.evaluate(_SELECT % {"control": json.dumps(control), "label": json.dumps(label),
                                               "start": start, "end": end})
        assert isinstance(found, dict), found
        return found

    def white_space(self) -> str:
        return str(self.tools.evaluate("getComputedStyle(document.querySelector('.lsf-htx-richtext')).whiteSpace"))

    def close(self) -> None:
        _stop(self.process)  # type: ignore[arg-type]
