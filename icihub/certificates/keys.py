"""The centre's Ed25519 signing keys, kept in a directory outside the database (`ICIHUB_KEY_DIR`).

One PEM file per key (`<key id>.pem`, readable by the owner only) and a file `current` naming the key
that signs. The first signature generates a key; `rotate()` adds a key and makes it current. Old keys
stay, so what they signed still verifies. Back the directory up with the database: without it no new
certificate can carry on the old key, and the private keys cannot be recovered from anything else.
Pure: no Django."""

import datetime
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


class UnknownKey(LookupError):
    """No key of that id in the store."""


@dataclass(frozen=True)
class SigningKey:
    id: str
    private: Ed25519PrivateKey

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()


def raw_public_key(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public: Ed25519PublicKey, day: datetime.date) -> str:
    """A key's id: the day it was made and the start of its public key's SHA-256."""
    return f"{day:%Y%m%d}-{hashlib.sha256(raw_public_key(public)).hexdigest()[:16]}"


class KeyStore:
    def __init__(self, directory: Path | str):
        self.directory = Path(directory)

    def _path(self, kid: str) -> Path:
        if not kid or not all(c.isalnum() or c == "-" for c in kid):
            raise UnknownKey(kid)
        return self.directory / f"{kid}.pem"

    def _write_new(self) -> str:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        private = Ed25519PrivateKey.generate()
        kid = key_id(private.public_key(), datetime.date.today())
        pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        descriptor = os.open(self._path(kid), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(pem)
        return kid

    def current(self) -> SigningKey:
        """The signing key; the first call makes one. Two processes making the first key at once agree on
        one: `current` is linked into place only when absent, and the loser's key is removed."""
        pointer = self.directory / "current"
        if not pointer.exists():
            kid = self._write_new()
            written = self.directory / f"current.{kid}"
            written.write_text(kid)
            try:
                os.link(written, pointer)  # appears whole or not at all, and never replaces another's
            except FileExistsError:
                self._path(kid).unlink()
            finally:
                written.unlink()
        return self.private_key(pointer.read_text().strip())

    def rotate(self) -> str:
        """Make a new key the signing key; returns its id. The old keys stay to verify what they signed."""
        kid = self._write_new()
        temporary = self.directory / f"current.{kid}"
        temporary.write_text(kid)
        os.replace(temporary, self.directory / "current")
        return kid

    def private_key(self, kid: str) -> SigningKey:
        try:
            pem = self._path(kid).read_bytes()
        except FileNotFoundError:
            raise UnknownKey(kid) from None
        private = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(private, Ed25519PrivateKey):
            raise UnknownKey(kid)
        return SigningKey(kid, private)

    def public_key(self, kid: str) -> Ed25519PublicKey:
        return self.private_key(kid).public

    def ids(self) -> list[str]:
        """Every key's id, by the day it was made."""
        return sorted(path.stem for path in self.directory.glob("*.pem"))
