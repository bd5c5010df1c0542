"""Open Badges 3.0 credentials for completed courses, secured with a W3C Data Integrity proof of the
`eddsa-jcs-2022` cryptosuite (Ed25519 over the JSON Canonicalization Scheme, RFC 8785): anyone with the
centre's public key can check that not one byte of the credential changed since the centre signed it.
Pure: no Django.

Signing (VC Data Integrity EdDSA Cryptosuites v1.0): the proof options (without `proofValue`, with the
document's `@context`) and the document (without `proof`) are each canonicalized and hashed with
SHA-256; the Ed25519 signature of the two hashes, options first, is the proof value, multibase
base58-btc encoded (`z...`)."""

import datetime
import hashlib
import json
from collections.abc import Callable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from icihub.certificates.keys import SigningKey, UnknownKey

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
CRYPTOSUITE = "eddsa-jcs-2022"
ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class InvalidCredential(ValueError):
    """The credential does not verify; the message says why."""


def canonical(value) -> bytes:
    """RFC 8785 canonical JSON of a document made of objects, arrays, strings, integers, booleans and
    null (keys sorted, no spaces, UTF-8). Fractions are refused: the credential has none, and their
    canonical form is the one part of RFC 8785 that json.dumps does not give."""

    def check(item) -> None:
        if isinstance(item, float):
            raise TypeError("a credential holds no fractional numbers")
        if isinstance(item, dict):
            for key, inner in item.items():
                if not isinstance(key, str):
                    raise TypeError("object keys are strings")
                check(inner)
        elif isinstance(item, list):
            for inner in item:
                check(inner)

    check(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def base58btc(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    text = ""
    while number:
        number, digit = divmod(number, 58)
        text = ALPHABET[digit] + text
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + text


def from_base58btc(text: str) -> bytes:
    number = 0
    for char in text:
        if char not in ALPHABET:
            raise ValueError(f"{char!r} is not a base58 digit")
        number = number * 58 + ALPHABET.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def _timestamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def achievement_credential(
    *,
    credential_id: str,
    issuer_id: str,
    issuer_name: str,
    holder_name: str,
    achievement_id: str,
    achievement_name: str,
    achievement_description: str,
    criteria: str,
    valid_from: datetime.datetime,
) -> dict:
    """An unsigned OpenBadgeCredential: the holder (by name) achieved the course."""
    return {
        "@context": list(CONTEXT),
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": issuer_name},
        "validFrom": _timestamp(valid_from),
        "name": achievement_name,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": holder_name}
            ],
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "name": achievement_name,
                "description": achievement_description,
                "criteria": {"narrative": criteria},
            },
        },
    }


def _hash_data(document: dict, options: dict) -> bytes:
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    config = {key: value for key, value in options.items() if key != "proofValue"}
    config["@context"] = document.get("@context")
    return hashlib.sha256(canonical(config)).digest() + hashlib.sha256(canonical(unsecured)).digest()


def sign(document: dict, key: SigningKey, *, verification_method: str, created: datetime.datetime) -> dict:
    """The document with a Data Integrity proof by this key."""
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": _timestamp(created),
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = key.private.sign(_hash_data(document, options))
    return {**document, "proof": {**options, "proofValue": "z" + base58btc(signature)}}


def verify(document: dict, public_key_for: Callable[[str], Ed25519PublicKey]) -> None:
    """Raise InvalidCredential unless the document carries a valid proof by the key its verification
    method names (`public_key_for(verification_method)` finds it; UnknownKey when there is none)."""
    proof = document.get("proof")
    if not isinstance(proof, dict):
        raise InvalidCredential("The credential has no proof.")
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        raise InvalidCredential(f"The proof is not a DataIntegrityProof of {CRYPTOSUITE}.")
    if proof.get("proofPurpose") != "assertionMethod":
        raise InvalidCredential("The proof's purpose is not assertionMethod.")
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        raise InvalidCredential("The proof value is not multibase base58-btc.")
    try:
        signature = from_base58btc(value[1:])
        public = public_key_for(str(proof.get("verificationMethod")))
        public.verify(signature, _hash_data(document, proof))
    except UnknownKey:
        raise InvalidCredential("The proof names a key the centre does not hold.") from None
    except (ValueError, TypeError, InvalidSignature):
        raise InvalidCredential(
            "The signature does not match the credential: it was changed or not signed by this key."
        ) from None
