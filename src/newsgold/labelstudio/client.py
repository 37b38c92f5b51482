"""A live Label Studio server: ``newsgold ls push`` and ``newsgold ls pull``, through the label-studio-sdk client.

The server is ``LABEL_STUDIO_URL`` (default ``http://localhost:8080``) and the key ``LABEL_STUDIO_API_KEY``
(a personal access token, or a legacy token where the organisation allows them). A task's project is titled
``newsgold <task>``; push creates it or updates its labeling config, adds the tasks it lacks (matched by their
``newsgold_id``, since the server numbers tasks itself) and refreshes the data of those it has. Pull takes a
snapshot export with predictions and annotators in full. Any failure to talk to the server is one problem line.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
from tqdm import tqdm

from ..errors import InputError, Problem
from .core import RECORD_IDS, TASK_KEY

if TYPE_CHECKING:
    from label_studio_sdk import LabelStudio

DEFAULT_URL = "http://localhost:8080"
BATCH = 100  # tasks per request: small enough to show progress, large enough to be quick; more get a bar
EXPORT_TIMEOUT = 600.0


def project_title(task: str) -> str:
    return f"newsgold {task}"


@dataclass
class Server:
    url: str
    client: LabelStudio


@dataclass
class PushReport:
    project_id: int
    created: bool
    config_updated: bool
    added: int
    refreshed: int
    unchanged: int
    predictions_added: int
    annotations_not_added: int  # tasks already in the project keep theirs: the ones given for them wait


@contextmanager
def talking(url: str) -> Iterator[None]:
    """Turn every way a request can fail into one problem naming the server."""
    from label_studio_sdk.core.api_error import ApiError

    try:
        yield
    except httpx.TimeoutException as error:
        raise InputError([Problem(url, 0, "LABEL_STUDIO_URL", f"Label Studio did not answer in time: {error}")]
                         ) from None
    except httpx.HTTPError as error:
        raise InputError([Problem(url, 0, "LABEL_STUDIO_URL", f"cannot reach Label Studio: {error}")]) from None
    except ValueError as error:  # an answer that is not Label Studio's JSON: another server at that address
        raise InputError([Problem(url, 0, "LABEL_STUDIO_URL", f"the answer is not Label Studio's: {error}")]
                         ) from None
    except ApiError as error:
        if error.status_code in (401, 403):
            raise InputError([Problem(url, 0, "LABEL_STUDIO_API_KEY",
                                      f"Label Studio refused the API key ({error.status_code} "
                                      f"{_detail(error.body)})")]) from None
        raise InputError([Problem(url, 0, "-", f"Label Studio answered {error.status_code}: "
                                               f"{_detail(error.body)}")]) from None


def _detail(body: Any) -> str:
    if isinstance(body, dict):
        return str(body.get("detail") or body.get("validation_errors") or body)
    return str(body)[:300]


def connect(url: str | None = None, api_key: str | None = None) -> Server:
    """A client for the server, once it has answered who the key belongs to."""
    from label_studio_sdk import LabelStudio

    url = (url or os.environ.get("LABEL_STUDIO_URL") or DEFAULT_URL).rstrip("/")
    api_key = api_key or os.environ.get("LABEL_STUDIO_API_KEY")
    if not api_key:
        raise InputError([Problem(url, 0, "LABEL_STUDIO_API_KEY", "set LABEL_STUDIO_API_KEY to your access token "
                                                                  "(Label Studio: Account & Settings)")])
    with talking(url):
        try:
            client = LabelStudio(base_url=url, api_key=api_key, timeout=120)
        except Exception as error:  # the SDK refuses an expired personal access token as it is built
            raise InputError([Problem(url, 0, "LABEL_STUDIO_API_KEY", f"unusable API key: {error}")]) from None
        client.users.whoami()
    return Server(url, client)


def find_project(server: Server, title: str) -> Any | None:
    with talking(server.url):
        projects: Iterable[Any] = server.client.projects.list(title=title)  # the SDK's pager has no item type
        found = [p for p in projects if p.title == title]
    if len(found) > 1:
        raise InputError([Problem(server.url, 0, "project", f"{len(found)} projects are titled {title!r} "
                                                            f"(ids {', '.join(str(p.id) for p in found)}); keep one")])
    return found[0] if found else None


def push(server: Server, task: str, config: str, tasks: list[dict[str, Any]], title: str | None = None) -> PushReport:
    """Create or update the task's project (``title``, default ``newsgold <task>``) and bring its tasks up to date."""
    from label_studio_sdk import PredictionRequest

    client = server.client
    title = title or project_title(task)
    project = find_project(server, title)
    created = config_updated = False
    with talking(server.url):
        if project is None:
            project = client.projects.create(title=title, label_config=config,
                                              description=f"newsgold {task}: see annotation/README.md")
            created = True
        project_id = _server_id(project.id, "project")
        served = "" if created else (client.projects.get(project_id).label_config or "")
        if not created and served.strip() != config.strip():  # the server strips the config it stores
            client.projects.update(project_id, label_config=config)
            config_updated = True
        listed: Iterable[Any] = client.tasks.list(project=project_id, fields="task_only", page_size=BATCH)
        present = {item.data.get(TASK_KEY): item for item in listed if item.data and item.data.get(TASK_KEY)}
        new = [t for t in tasks if t["data"][TASK_KEY] not in present]
        known = [t for t in tasks if t["data"][TASK_KEY] in present]
        with tqdm(total=len(new), desc=f"adding {task} tasks", unit="task", disable=len(new) <= BATCH) as bar:
            for start in range(0, len(new), BATCH):
                batch = new[start:start + BATCH]
                # The tasks are the JSON of `ls export`; the SDK serialises plain objects unchanged.
                client.projects.import_tasks(project_id, request=batch, commit_to_project=True)  # type: ignore[arg-type]
                bar.update(len(batch))
        # Tasks already there keep their annotations (an annotator may be working on them); their data is
        # refreshed (registries grow), and a system's new predictions are added beside the old ones.
        refreshed = {t["data"][TASK_KEY]: _refreshed(present[t["data"][TASK_KEY]].data, t["data"]) for t in known}
        changed = [key for key, data in refreshed.items() if data != present[key].data]
        for key in tqdm(changed, desc=f"refreshing {task} tasks", unit="task", disable=len(changed) <= BATCH):
            client.tasks.update(id=str(present[key].id), data=refreshed[key])
        predictions = [PredictionRequest(task=present[t["data"][TASK_KEY]].id, result=p["result"],
                                         model_version=p.get("model_version"), score=p.get("score"))
                       for t in known for p in t.get("predictions", [])]
        for start in range(0, len(predictions), BATCH):
            client.projects.import_predictions(project_id, request=predictions[start:start + BATCH])
    return PushReport(project_id, created, config_updated, len(new), len(changed), len(known) - len(changed),
                      len(predictions), sum(1 for t in known if t.get("annotations")))


def _server_id(value: int | None, what: str) -> int:
    """An id the server's answer must carry (the SDK types every field as optional)."""
    if value is None:
        raise InputError([Problem("<server>", 0, what, "the server's answer has no id")])
    return value


def _refreshed(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """A task's new data, still listing every record id its annotations may carry (an import keeps those ids)."""
    if RECORD_IDS not in old and RECORD_IDS not in new:
        return dict(new)
    return {**new, RECORD_IDS: sorted(set(old.get(RECORD_IDS) or []) | set(new.get(RECORD_IDS) or []))}


def pull(server: Server, task: str, title: str | None = None) -> tuple[list[dict[str, Any]], str]:
    """A snapshot export of the task's project (annotators and predictions in full) and a name for it."""
    import json

    from label_studio_sdk.types import (
        Export,
        LseExportCreate,
        SerializationOptionRequest,
        SerializationOptionsRequest,
    )

    title = title or project_title(task)
    project = find_project(server, title)
    if project is None:
        raise InputError([Problem(server.url, 0, "project", f"no project titled {title!r}; "
                                                            f"run `newsgold ls push {task}` first")])
    exports = server.client.projects.exports
    whole = SerializationOptionRequest(only_id=False)
    project_id = _server_id(project.id, "project")
    with talking(server.url):
        snapshot: LseExportCreate | Export = exports.create(project_id, title=f"newsgold ls pull {task}",
                                  serialization_options=SerializationOptionsRequest(
                                      annotations_completed_by=whole, predictions=whole))
        deadline = time.monotonic() + EXPORT_TIMEOUT
        while snapshot.status not in ("completed", "failed") and time.monotonic() < deadline:
            time.sleep(0.5)
            snapshot = exports.get(project_id, _server_id(snapshot.id, "export"))
        if snapshot.status != "completed":
            raise InputError([Problem(server.url, 0, "export", f"export {snapshot.id} of project {project.id} "
                                                               f"ended {snapshot.status}")])
        chunks = []
        # The size of a snapshot is not known ahead; the bar shows on a terminal (tqdm's disable=None).
        with tqdm(desc=f"downloading {task}", unit="B", unit_scale=True, disable=None) as bar:
            for chunk in exports.download(project_id, _server_id(snapshot.id, "export"), export_type="JSON"):
                chunks.append(chunk)
                bar.update(len(chunk))
    source = f"{server.url}/api/projects/{project.id}/exports/{snapshot.id}"
    return json.loads(b"".join(chunks)), source
