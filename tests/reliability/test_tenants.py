"""Tenants and tokens on the real service: every route is scoped to the caller's
tenant (found from the OpenAPI document, so a new route is covered by itself), tokens
are stored hashed and revoked by the CLI, and answers carry no internal detail."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import select

from tests.reliability.conftest import Rig, unique
from tests.reliability.test_hostile_input import assert_clean
from tests.service.servers import nianbao
from tests.service.stack import token
from worker.db.models import Token

pytestmark = pytest.mark.slow

NO_ID = "00000000-0000-0000-0000-000000000000"


def test_every_route_is_tenant_scoped(rig: Rig) -> None:
    batch = rig.upload([*unique("ok", 1), ("crash.pdf", b"FAKE:crash")])
    rig.client().wait(batch["batch_id"])
    ids = {"batch_id": batch["batch_id"], "document_id": batch["documents"][0]["id"]}
    paths = httpx.get(rig.url + "/openapi.json", timeout=10).json()["paths"]
    scoped = [(p, m) for p, ops in paths.items() for m in ops if "{" in p]
    assert len(scoped) >= 4, scoped
    owner, rival, nobody = rig.client(), rig.client(rig.other_token), rig.client("")
    for path, method in scoped:
        url = re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path)
        mine = owner.http.request(method.upper(), url)
        assert mine.status_code == 200, (url, mine.status_code)
        theirs = rival.http.request(method.upper(), url)
        assert theirs.status_code == 404 and theirs.json()["error"]["code"] == "not_found", url
        absent = owner.http.request(method.upper(), url.replace(ids["batch_id"], NO_ID)
                                    .replace(ids["document_id"], NO_ID))
        assert absent.status_code == 404 and absent.json()["error"]["code"] == "not_found"
        assert nobody.http.request(method.upper(), url).status_code == 401, url
        for r in (mine, theirs):
            assert_clean(r)
    for doc in batch["documents"]:
        detail = owner.get(f"/v1/documents/{doc['id']}")
        assert_clean(detail)
        assert "SECRET-TRACEBACK-DETAIL" not in detail.text


def test_tokens_are_hashed_and_revoked_by_the_cli(rig: Rig) -> None:
    clear = token(rig.env, "acme")
    client = rig.client(clear)
    assert client.get("/v1/batches/none").status_code == 404  # authenticated
    with rig.db.session() as s:
        stored = list(s.scalars(select(Token.token_hash)))
    assert clear not in stored and all(re.fullmatch(r"[0-9a-f]{64}", h) for h in stored)
    done = nianbao(["token", "revoke", clear], rig.env)
    assert done.returncode == 0, done.stderr
    r = client.get("/v1/batches/none")
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    assert rig.client().get("/v1/batches/none").status_code == 404  # other tokens live on
