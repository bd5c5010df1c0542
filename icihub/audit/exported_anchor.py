"""The exported anchor: the head of the audit chain (its event's id, place and hash, and how many events
lead to it), signed by the centre, in a small JSON file meant to leave the machine.

The anchor file (anchor.py) guards against someone who can write the database only. Someone who can
also write that file can rewrite history, the anchor included. An exported anchor sent elsewhere (a
log host, another site, an auditor's mailbox) is out of their reach: `icihub audit verify --anchor
FILE` checks that the trail still holds that event, with that hash, at that place.

Which key signs: the centre's certificate signing key (certificates/keys.py, ICIHUB_KEY_DIR), not a
key of its own, because
- its public half is already published at `<ICIHUB_PUBLIC_URL>/keys/<key id>.json`, so whoever keeps
  the exported anchors can check them without access to this machine; a separate key would need its
  own publication;
- it already has rotation (`icihub keys --rotate`: old keys stay, so anchors they signed still
  verify) and a place in the backups (`icihub backup --include-keys`); a second key would double both.
Reusing it is safe because the signed bytes are domain-separated: they start with `SIGNED_PREFIX`,
and what a certificate's proof signs is exactly two SHA-256 digests (64 bytes), which never starts
with that prefix. No exported anchor's signature passes for a certificate's, nor the other way round.
The signature shows that the centre exported the anchor and that it was not edited since; what keeps
history from being rewritten is the distance of the copies, not the key (whoever holds the machine
may hold the key too).

Pure: no Django; the head is read and the trail checked in services.py.
"""

import base64
import binascii
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from icihub.certificates.keys import SigningKey, UnknownKey

FORMAT = "icihub-audit-anchor/1"
SIGNED_PREFIX = b"icihub audit anchor v1\n"
_HASH = re.compile(r"[0-9a-f]{64}")


class InvalidExportedAnchor(Exception):
    """The file is not an exported anchor the centre signed; the message says why, for the operator."""


@dataclass(frozen=True)
class ExportedAnchor:
    """The head of the chain when it was exported: the event (id, place, hash), the number of events up
    to and including it, when, and which of the centre's keys signed."""

    event_id: int
    seq: int
    hash: str
    events: int
    exported_at: str
    key_id: str

    def fields(self) -> dict:
        return {"format": FORMAT, **asdict(self)}


def signed_bytes(fields: dict) -> bytes:
    """What is signed: the prefix, then the fields as JSON, keys sorted, without spaces, ASCII only."""
    return SIGNED_PREFIX + json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def sign(anchor: ExportedAnchor, key: SigningKey) -> dict:
    """The document to write: the fields and the Ed25519 signature of their canonical form (base64)."""
    if anchor.key_id != key.id:
        raise ValueError(f"the anchor names key {anchor.key_id}, but key {key.id} signs it")
    fields = anchor.fields()
    signature = key.private.sign(signed_bytes(fields))
    return {**fields, "signature": base64.b64encode(signature).decode("ascii")}


def to_text(document: dict) -> str:
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def _whole_number(fields: dict, name: str, *, least: int) -> int:
    value = fields[name]
    if type(value) is not int or value < least:  # bool is an int, and never a place
        raise InvalidExportedAnchor(f"not an exported audit anchor ({name} is not a whole number)")
    return value


def read(text: str, public_key_for: Callable[[str], Ed25519PublicKey]) -> ExportedAnchor:
    """The anchor in the text, once its signature is checked with the centre's key it names
    (`public_key_for(key id)`, UnknownKey when the centre holds none of that id)."""
    try:
        document = json.loads(text)
    except ValueError:
        raise InvalidExportedAnchor("not an exported audit anchor (not JSON)") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidExportedAnchor(f"not an exported audit anchor (its format is not {FORMAT})")
    signature = document.pop("signature", None)
    expected = set(ExportedAnchor.__dataclass_fields__) | {"format"}
    if missing := sorted(expected - set(document)):
        raise InvalidExportedAnchor(f"not an exported audit anchor (no {', '.join(missing)})")
    if extra := sorted(set(document) - expected):
        raise InvalidExportedAnchor(f"fields the centre does not sign were added: {', '.join(extra)}")
    if not isinstance(signature, str):
        raise InvalidExportedAnchor("it is not signed")
    key_id = document["key_id"]
    try:
        public = public_key_for(str(key_id))
    except UnknownKey:
        raise InvalidExportedAnchor(
            f"it is signed by key {key_id}, which is not one of the centre's keys: it was not exported here"
        ) from None
    except ValueError:
        raise InvalidExportedAnchor(f"the centre's key {key_id} cannot be read: its key file is damaged") from None
    try:
        public.verify(base64.b64decode(signature, validate=True), signed_bytes(document))
    except (binascii.Error, ValueError, InvalidSignature):
        raise InvalidExportedAnchor(
            f"its signature does not match: it was changed after it was signed, or not signed by key {key_id}"
        ) from None
    # Signed by the centre, so written by `sign`; checked all the same, as a key can sign by mistake.
    if not isinstance(document["hash"], str) or not _HASH.fullmatch(document["hash"]):
        raise InvalidExportedAnchor("not an exported audit anchor (the hash is not 64 hexadecimal digits)")
    if not isinstance(document["exported_at"], str):
        raise InvalidExportedAnchor("not an exported audit anchor (exported_at is not a time)")
    return ExportedAnchor(
        event_id=_whole_number(document, "event_id", least=1),
        seq=_whole_number(document, "seq", least=1),
        hash=document["hash"],
        events=_whole_number(document, "events", least=1),
        exported_at=document["exported_at"],
        key_id=key_id,
    )
