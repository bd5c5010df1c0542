"""Signing keys and verifiable credentials: a signed credential verifies, and fails after any byte is
changed; keys are made on first use, rotated, and old ones still verify what they signed."""

import datetime
import json
import threading

import pytest

from icihub.certificates import credential as vc
from icihub.certificates.keys import KeyStore, UnknownKey

SIGNED = datetime.datetime(2027, 3, 11, 12, 0, tzinfo=datetime.UTC)


def badge(**changes) -> dict:
    values = {
        "credential_id": "https://icihub.example/verify/ICI-2027-000123",
        "issuer_id": "https://icihub.example/",
        "issuer_name": "NATO-ICI Regional Centre, Kuwait",
        "holder_name": "Maj. Fahad Al-Sabah / الرائد فهد الصباح",
        "achievement_id": "https://icihub.example/courses/CYB-IR-32107",
        "achievement_name": "Cyber Incident Response",
        "achievement_description": "Five-day course, 8-12 March 2027.",
        "criteria": "Attended at least 80% of the course and passed the final test.",
        "valid_from": SIGNED,
    }
    return vc.achievement_credential(**{**values, **changes})


def signed(store: KeyStore) -> dict:
    key = store.current()
    return vc.sign(badge(), key, verification_method=f"https://icihub.example/keys/{key.id}", created=SIGNED)


def resolver(store: KeyStore):
    return lambda method: store.public_key(method.rsplit("/", 1)[-1])


def test_a_signed_credential_is_an_open_badge_that_verifies(tmp_path):
    store = KeyStore(tmp_path / "keys")
    document = signed(store)
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["proof"]["cryptosuite"] == "eddsa-jcs-2022" and document["proof"]["proofValue"].startswith("z")
    vc.verify(json.loads(json.dumps(document)), resolver(store))  # survives a round trip through JSON


def test_changing_any_byte_of_the_credential_makes_it_fail(tmp_path):
    store = KeyStore(tmp_path / "keys")
    raw = json.dumps(signed(store), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    vc.verify(json.loads(raw), resolver(store))
    for position in range(len(raw)):
        changed = bytearray(raw)
        changed[position] = (changed[position] + 1) % 256
        try:
            document = json.loads(bytes(changed).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue  # no longer a credential at all
        with pytest.raises(vc.InvalidCredential):
            if not isinstance(document, dict):
                raise vc.InvalidCredential("not an object")
            vc.verify(document, resolver(store))


def test_a_credential_signed_by_another_key_or_an_unknown_one_fails(tmp_path):
    ours, theirs = KeyStore(tmp_path / "ours"), KeyStore(tmp_path / "theirs")
    forged = signed(theirs)
    with pytest.raises(vc.InvalidCredential, match="does not hold"):
        vc.verify(forged, resolver(ours))
    impostor = vc.sign(
        badge(),
        theirs.current(),
        verification_method=f"https://icihub.example/keys/{ours.current().id}",
        created=SIGNED,
    )
    with pytest.raises(vc.InvalidCredential, match="does not match"):
        vc.verify(impostor, resolver(ours))


def test_an_unsigned_or_strangely_signed_credential_is_refused_with_the_reason(tmp_path):
    store = KeyStore(tmp_path / "keys")
    with pytest.raises(vc.InvalidCredential, match="no proof"):
        vc.verify(badge(), resolver(store))
    document = signed(store)
    for key, value, reason in (
        ("cryptosuite", "ecdsa-rdfc-2019", "not a DataIntegrityProof"),
        ("proofPurpose", "authentication", "purpose"),
        ("proofValue", "u" + document["proof"]["proofValue"][1:], "multibase"),
    ):
        with pytest.raises(vc.InvalidCredential, match=reason):
            vc.verify({**document, "proof": {**document["proof"], key: value}}, resolver(store))


def test_rotation_signs_with_a_new_key_and_old_credentials_still_verify(tmp_path):
    store = KeyStore(tmp_path / "keys")
    before = signed(store)
    old = store.current().id
    new = store.rotate()
    assert store.current().id == new != old and store.ids() == sorted([old, new])
    after = signed(store)
    assert after["proof"]["verificationMethod"].endswith(new)
    vc.verify(before, resolver(store))
    vc.verify(after, resolver(store))


def test_keys_live_outside_the_database_readable_by_their_owner_only(tmp_path):
    store = KeyStore(tmp_path / "keys")
    key = store.current()
    path = tmp_path / "keys" / f"{key.id}.pem"
    assert path.stat().st_mode & 0o777 == 0o600
    assert KeyStore(tmp_path / "keys").current().id == key.id  # the same key after a restart
    with pytest.raises(UnknownKey):
        store.public_key("../../etc/passwd")


def test_processes_making_the_first_key_at_once_agree_on_one(tmp_path):
    found, barrier = [], threading.Barrier(8)

    def first_use():
        barrier.wait()
        found.append(KeyStore(tmp_path / "keys").current().id)

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(found)) == 1 and KeyStore(tmp_path / "keys").ids() == found[:1]


def test_base58_round_trips_leading_zeros():
    for data in (b"", b"\0", b"\0\0\x01", bytes(range(64))):
        assert vc.from_base58btc(vc.base58btc(data)) == data
