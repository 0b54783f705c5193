"""Signed checkpoints kept outside the database find a history rewritten with every hash
recomputed, which the chain alone cannot (contract §7a)."""

from __future__ import annotations

import json

import pytest
from tortoise import Tortoise

from api.models import AuditEvent
from api.services import audit as audit_service
from api.services import checkpoints
from tests.api.test_audit import (  # noqa: F401
    AUDIT_CHAIN,
    SQLITE_NO_UPDATE_TRIGGER,
    cli_env,
    edit_behind_the_back,
    run_cli,
    unique,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def keys(tmp_path, capsys):
    private = tmp_path / "checkpoint.key"
    assert checkpoints_cli(["audit", "keygen", str(private)]) == 0
    capsys.readouterr()
    return private, private.with_suffix(".pub.pem")


def checkpoints_cli(argv):
    from api import cli

    return cli.main(argv)


async def witness(gql, tokens, n=2) -> list[str]:
    actors = [unique("witness") for _ in range(n)]
    for actor in actors:
        await gql("query W { me { subject } }", None, tokens.make(["registrar"], actor))
    return actors


async def rewrite_history_from(sequence: int, database) -> None:
    """What an administrator with the triggers off can do: change a record, then recompute
    every hash after it so that the chain verifies again."""
    conn = Tortoise.get_connection("default")
    if database.engine == "postgres":
        await conn.execute_script(
            "ALTER TABLE audit_events DISABLE TRIGGER tg_audit_events_append_only")
    else:
        await conn.execute_script('DROP TRIGGER "tg_audit_events_no_update"')
    try:
        rows = await AuditEvent.filter(sequence__gte=sequence).order_by("sequence")
        previous = audit_service.GENESIS_HASH if sequence == 1 else \
            (await AuditEvent.get(sequence=sequence - 1)).hash
        for row in rows:
            record = audit_service.record_of(row)
            if row.sequence == sequence:
                record.actor = "mallory"
            digest = audit_service.chain_hash(previous, audit_service.canonical(row.sequence,
                                                                                record))
            await conn.execute_query(
                "UPDATE audit_events SET actor = $1, previous_hash = $2, hash = $3 "
                "WHERE sequence = $4" if database.engine == "postgres" else
                "UPDATE audit_events SET actor = ?, previous_hash = ?, hash = ? "
                "WHERE sequence = ?", [record.actor, previous, digest, row.sequence])
            previous = digest
    finally:
        if database.engine == "postgres":
            await conn.execute_script(
                "ALTER TABLE audit_events ENABLE TRIGGER tg_audit_events_append_only")
        else:
            await conn.execute_script(SQLITE_NO_UPDATE_TRIGGER)


async def test_a_checkpoint_verifies_then_finds_a_rewritten_history(
        gql, tokens, database, keys, tmp_path, capsys, cli_env):  # noqa: F811
    private, public = keys
    actors = await witness(gql, tokens)
    assert await run_cli(["audit", "checkpoint", "--key", str(private), "--out",
                          str(tmp_path / "cps")]) == 0
    (path,) = (tmp_path / "cps").iterdir()
    checkpoint = json.loads(path.read_text())
    assert checkpoint["format"] == checkpoints.FORMAT and checkpoint["sequence"] >= 2
    capsys.readouterr()
    assert await run_cli(["audit", "verify", "--checkpoint", str(path),
                          "--public-key", str(public)]) == 0
    assert "matches" in capsys.readouterr().out

    victim = await AuditEvent.get(actor=actors[0])
    await rewrite_history_from(victim.sequence, database)
    # the chain alone verifies: every hash was recomputed
    assert (await audit_service.verify_chain()).valid
    capsys.readouterr()
    assert await run_cli(["audit", "verify"]) == 0
    # the checkpoint does not
    assert await run_cli(["audit", "verify", "--checkpoint", str(path),
                          "--public-key", str(public)]) == 1
    out = capsys.readouterr().out
    assert "history was rewritten" in out and f"sequence {checkpoint['sequence']}" in out


async def test_a_forged_or_foreign_checkpoint_is_refused(gql, tokens, keys, tmp_path, capsys,
                                                         cli_env):  # noqa: F811
    private, public = keys
    await witness(gql, tokens, 1)
    assert await run_cli(["audit", "checkpoint", "--key", str(private), "--out",
                          str(tmp_path)]) == 0
    (path,) = tmp_path.glob("audit-checkpoint-*.json")
    checkpoint = json.loads(path.read_text())

    forged = dict(checkpoint, headHash="0" * 64)
    forged_path = tmp_path / "forged.json"
    forged_path.write_text(json.dumps(forged))
    capsys.readouterr()
    assert await run_cli(["audit", "verify", "--checkpoint", str(forged_path),
                          "--public-key", str(public)]) == 1
    assert "signature does not match" in capsys.readouterr().out

    # signed by someone else's key, which the file carries: refused by the trusted key
    other = checkpoints.load_private_key(checkpoints.new_private_key_pem())
    foreign = checkpoints.sign(other, checkpoint["sequence"], checkpoint["headHash"])
    foreign_path = tmp_path / "foreign.json"
    foreign_path.write_text(json.dumps(foreign))
    assert await run_cli(["audit", "verify", "--checkpoint", str(foreign_path),
                          "--public-key", str(public)]) == 1
    assert "not the trusted key" in capsys.readouterr().out


async def test_verify_refuses_checkpoints_without_a_trusted_public_key(
        gql, tokens, keys, tmp_path, capsys, cli_env):  # noqa: F811
    """The key inside a checkpoint file is whoever signed it: checking the signature with it
    proves nothing, so the trusted key must be named."""
    private, _ = keys
    await witness(gql, tokens, 1)
    assert await run_cli(["audit", "checkpoint", "--key", str(private), "--out",
                          str(tmp_path)]) == 0
    (path,) = tmp_path.glob("audit-checkpoint-*.json")
    other = checkpoints.load_private_key(checkpoints.new_private_key_pem())
    foreign = tmp_path / "foreign.json"
    foreign.write_text(json.dumps(checkpoints.sign(other, 1, "0" * 64)))
    for checkpoint in (path, foreign):  # the genuine one too
        capsys.readouterr()
        assert await run_cli(["audit", "verify", "--checkpoint", str(checkpoint)]) == 2
        out, err = capsys.readouterr()
        assert "--public-key" in err and "trusted public key" in err
        assert "matches" not in out + err
    with pytest.raises(checkpoints.CheckpointError, match="trusted public key"):
        checkpoints.check_signature(json.loads(path.read_text()), None)


async def test_no_checkpoint_is_signed_over_an_old_record_edited_in_place(
        gql, tokens, database, keys, tmp_path, capsys, cli_env):  # noqa: F811
    """A checkpoint rehashes the whole chain first: a record behind the point `auditChain` has
    verified, its content changed and its hashes left alone, is found and nothing is signed."""
    private, _ = keys
    (actor,) = await witness(gql, tokens, 1)
    old = await AuditEvent.get(actor=actor)
    assert (await gql.data(AUDIT_CHAIN, None, tokens.auditor()))["auditChain"]["valid"]
    await edit_behind_the_back(old.sequence, "mallory", database)
    try:
        capsys.readouterr()
        assert await run_cli(["audit", "checkpoint", "--key", str(private), "--out",
                              str(tmp_path / "cps")]) == 1
        assert f"broken at sequence {old.sequence}" in capsys.readouterr().err
        assert not (tmp_path / "cps").exists()
    finally:
        await edit_behind_the_back(old.sequence, actor, database)
    assert await run_cli(["audit", "checkpoint", "--key", str(private), "--out",
                          str(tmp_path / "cps")]) == 0


def test_keygen_refuses_to_overwrite_and_keeps_the_key_private(keys):
    private, public = keys
    assert (private.stat().st_mode & 0o777) == 0o600
    assert checkpoints_cli(["audit", "keygen", str(private)]) == 2
    assert b"BEGIN PUBLIC KEY" in public.read_bytes()
