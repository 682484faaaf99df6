"""Passwords: the policy a new one must meet, and Argon2id hashes (argon2-cffi, RFC 9106 parameters).

A password is never stored, logged or printed; only its hash is kept, and a hash made with older parameters is
replaced at the next successful sign-in (:func:`needs_new_hash`). Checking a name that has no account costs the
same as checking a real one (:func:`verify` against a dummy hash), so timing does not tell which names exist.

The policy judges a password by what it *reads as* (:func:`legible`): Unicode compatibility forms folded (a
full-width ``ｐａｓｓｗｏｒｄ１２３４`` is ``password1234``), case folded, invisible characters and the spaces around it
left out. Counting raw characters let twelve spaces, twelve zero-width spaces or a full-width common password
through. The password itself is stored and checked exactly as typed.
"""

from __future__ import annotations

import gzip
import unicodedata
from functools import lru_cache
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from prevdip.errors import RefusedInput

MIN_LENGTH = 12
MIN_DIFFERENT = 5  # different characters: "aaaaaaaaaaaa" and "abababababab" are not passphrases
_hasher = PasswordHasher()  # Argon2id, RFC 9106 low-memory profile (t=3, m=64 MiB, p=4)


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    """The 20,000 common passwords shipped beside this module (Django's list, BSD; see common-passwords.LICENSE)."""
    raw = files("prevdip.accounts").joinpath("common-passwords.txt.gz").read_bytes()
    return frozenset(gzip.decompress(raw).decode("utf-8").split())


def legible(text: str) -> str:
    """``text`` as a person reads it: compatibility forms folded (NFKC), case folded, format characters (zero-width
    spaces and joiners, direction marks) dropped, surrounding white space stripped."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c for c in folded if unicodedata.category(c) != "Cf").strip()


def check_policy(password: str, *, name: str) -> None:
    """Refuse a password that is too short, too repetitive, common, or contains the account's own name, as it reads
    (:func:`legible`); the reason says which."""
    read = legible(password)
    if len(read) < MIN_LENGTH:
        counted = "" if read == password else " (not counting invisible characters and the spaces around it)"
        raise RefusedInput(
            f"the password is {len(read)} characters long{counted}; it needs at least {MIN_LENGTH}",
            hint="use a longer passphrase",
        )
    if len(set(read)) < MIN_DIFFERENT:
        raise RefusedInput(
            f"the password uses only {len(set(read))} different characters", hint="use a passphrase of words"
        )
    if read in _common():
        raise RefusedInput("the password is on the list of common passwords", hint="choose one nobody else uses")
    if legible(name) in read:
        raise RefusedInput("the password contains the account's name", hint="choose one that does not")


def hash_password(password: str) -> str:
    """The Argon2id hash to store."""
    return _hasher.hash(password)


@lru_cache(maxsize=1)
def _dummy() -> str:
    return _hasher.hash("no account has this password")


def verify(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored``; with no stored hash (an unknown name) the same work is done."""
    try:
        return _hasher.verify(stored or _dummy(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_new_hash(stored: str) -> bool:
    """Whether a hash was made with other parameters than today's (re-hash it at the next sign-in)."""
    return _hasher.check_needs_rehash(stored)
