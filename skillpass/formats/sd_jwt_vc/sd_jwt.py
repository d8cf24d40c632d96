"""SD-JWT (RFC 9901): the compact form, disclosures, and the processing that rebuilds the claims.

`<issuer-JWT>~<disclosure>~...~<disclosure>~[<KB-JWT>]` (§4). A disclosure is base64url of a
JSON array, `[salt, name, value]` for an object property or `[salt, value]` for an array
element (§4.2); its digest is base64url(H(the disclosure exactly as received)) (§4.2.3), never of
a re-serialisation. `process` follows §7.1: each digest found at most once, every disclosure
referenced exactly once, no disclosure named `_sd` or `...`, no disclosed name that collides
with a plain claim, the shape of a disclosure fitting the place that references it; decoy
digests (referenced by no disclosure) are ignored.
"""

from __future__ import annotations

import binascii
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from skillpass.errors import BadInputError, InvalidError
from skillpass.formats import jose
from skillpass.ingest import parse_json, parse_json_each
from skillpass.keys.multibase import b64url_decode, b64url_decode_each

SEPARATOR = "~"
MAX_DISCLOSURES = 10_000
MAX_DISCLOSURE_CHARACTERS = 1024 * 1024
# The IANA Named Information Hash Algorithm Registry names (§4.1.1 `_sd_alg`).
HASHES: dict[str, Callable[[bytes], Any]] = {
    "sha-256": hashlib.sha256, "sha-384": hashlib.sha384, "sha-512": hashlib.sha512,
    "sha3-256": hashlib.sha3_256, "sha3-384": hashlib.sha3_384, "sha3-512": hashlib.sha3_512}
_RESERVED_NAMES = ("_sd", "...")
Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Disclosure:
    """One disclosure as received (`text`) and what it says."""

    text: str
    salt: str
    name: str | None  # None for an array element
    value: Any

    def digest(self, sd_alg: str) -> str:
        return b64url(HASHES[sd_alg](self.text.encode("ascii")).digest())


@dataclass(frozen=True)
class SdJwt:
    """An SD-JWT (or SD-JWT+KB) split into its parts, nothing verified yet."""

    compact: str
    issuer_jwt: jose.Jws
    disclosures: tuple[Disclosure, ...]
    kb_jwt: str | None

    @cached_property
    def unverified_payload(self) -> dict[str, Any]:
        """The issuer JWT's claims, parsed strictly on first use and kept (the same dict every
        time: read it, do not change it). cached_property writes the instance's __dict__, not
        its fields, so the dataclass stays frozen and compares as before; a payload that does
        not parse raises on every access, as before."""
        return jose.payload_json(self.issuer_jwt, "SD-JWT")

    def with_texts(self, texts: list[str]) -> str:
        """The SD-JWT (no KB-JWT) carrying only the disclosures of `texts`, in their order (§5)."""
        return self.issuer_jwt.token + SEPARATOR + "".join([text + SEPARATOR for text in texts])


@dataclass(frozen=True)
class Processed:
    """§7.1's result: the claims, and where each disclosure's value went."""

    claims: dict[str, Any]
    paths: dict[str, Path] = field(default_factory=dict)  # disclosure text -> its claim path
    parents: dict[str, str | None] = field(default_factory=dict)  # disclosure -> the one holding it


def b64url(data: bytes) -> str:
    return binascii.b2a_base64(data, newline=False).translate(_TO_URLSAFE).rstrip(b"=").decode("ascii")


_TO_URLSAFE = bytes.maketrans(b"+/", b"-_")  # what urlsafe_b64encode does, in one call fewer


# -- §4 the compact form --------------------------------------------------------------------------


def parse(compact: str) -> SdJwt:
    """Split `<issuer-JWT>~<d1>~...~<dn>~[<KB-JWT>]`; malformed input is BadInputError."""
    if not isinstance(compact, str) or SEPARATOR not in compact:
        raise malformed("an SD-JWT is an issuer JWT followed by '~' and its disclosures")
    parts = compact.split(SEPARATOR)
    if len(parts) - 2 > MAX_DISCLOSURES:
        raise malformed(f"more than {MAX_DISCLOSURES} disclosures")
    issuer_jwt = jose.read_compact(parts[0], "SD-JWT")
    return SdJwt(compact, issuer_jwt, read_disclosures(parts[1:-1]), parts[-1] or None)


def read_disclosures(texts: list[str]) -> tuple[Disclosure, ...]:
    """parse_disclosure of each: the same disclosures, or the same first error. Decoded and
    scanned all together (b64url_decode_each, parse_json_each: their checks made once over
    all of them); at the first doubt, every one of them the whole way, in order."""
    try:
        arrays = parse_json_each(b64url_decode_each(texts, max_bytes=MAX_DISCLOSURE_CHARACTERS,
                                                    what="a disclosure"))
    except BadInputError:
        arrays = []
    made, new = [], object.__new__
    for text, array in zip(texts, arrays):  # _disclosure's checks, for the common case only
        if type(array) is not list or type(array[0] if array else None) is not str:
            break
        if len(array) == 3 and type(array[1]) is str and array[1] not in _RESERVED_NAMES:
            name, value = array[1], array[2]
        elif len(array) == 2:
            name, value = None, array[1]
        else:
            break
        disclosure = new(Disclosure)  # as _disclosure_of makes it, without a call
        disclosure.__dict__.update(text=text, salt=array[0], name=name, value=value)
        made.append(disclosure)
    if len(made) == len(texts):
        return tuple(made)
    return tuple(_disclosure(text, b64url_decode, parse_json) for text in texts)


def parse_disclosure(text: str) -> Disclosure:
    """§4.2: base64url of `[salt, name, value]` or `[salt, value]`."""
    return _disclosure(text, b64url_decode, parse_json)


def _disclosure(text: str, b64url_decode: Callable[..., bytes], parse_json: Callable[[bytes], Any]) -> Disclosure:
    if not text:
        raise malformed("an empty disclosure ('~~')")
    try:
        raw = b64url_decode(text, max_bytes=MAX_DISCLOSURE_CHARACTERS, what="a disclosure")
    except BadInputError as exc:
        raise malformed(exc.message) from None
    try:
        array = parse_json(raw)
    except BadInputError:
        array = jose.strict_json(raw, "a disclosure")  # raises, naming the disclosure
    if not isinstance(array, list) or len(array) not in (2, 3) or not isinstance(array[0], str):
        raise malformed("a disclosure is [salt, name, value] or [salt, value]")
    if len(array) == 2:
        return _disclosure_of(text, array[0], None, array[1])
    name = array[1]
    if not isinstance(name, str):
        raise malformed("a disclosure's claim name must be a string")
    if name in _RESERVED_NAMES:
        raise invalid(f"a disclosure is named {name!r}, which RFC 9901 forbids")
    return _disclosure_of(text, array[0], name, array[2])


def _disclosure_of(text: str, salt: str, name: str | None, value: Any) -> Disclosure:
    """Disclosure(text, salt, name, value), the same frozen object, without the four
    object.__setattr__ calls of a frozen dataclass's __init__ (a third of reading a disclosure)."""
    made = object.__new__(Disclosure)
    made.__dict__.update(text=text, salt=salt, name=name, value=value)
    return made


# -- §7.1 processing ------------------------------------------------------------------------------


def sd_alg(payload: dict[str, Any]) -> str:
    alg = payload.get("_sd_alg", "sha-256")
    if alg not in HASHES:
        raise InvalidError(f"the SD-JWT's digests use {alg!r}, which skillpass does not know",
                           "accepted: " + ", ".join(HASHES), code="E_SD_ALG")
    return str(alg)


def process(payload: dict[str, Any], disclosures: tuple[Disclosure, ...]) -> Processed:
    """The claims the disclosures reveal, every rule of §7.1 checked (InvalidError)."""
    digests = digests_of([d.text for d in disclosures], HASHES[sd_alg(payload)])
    by_digest = dict(zip(digests, disclosures))
    if len(by_digest) != len(disclosures):
        raise invalid("the same disclosure is given twice")
    walker = _Walker(by_digest)
    claims = walker.object(payload, (), None, top=True)
    if len(walker.paths) != len(by_digest):  # each disclosure is recorded once, when its digest is met
        raise invalid("a disclosure is not referenced by any digest of the SD-JWT (it was never "
                      "issued with it)")
    return Processed(claims, walker.paths, walker.parents)


def digests_of(texts: list[str], hash_function: Callable[[bytes], Any]) -> list[str]:
    """§4.2.3: base64url(H(text)) of each text, base64-encoded in one call: each digest is
    followed by the zero bytes that make it whole 3-byte groups, so that its part of the text is
    its own unpadded base64url followed by an "A" for each zero byte, which is dropped."""
    digests = [hash_function(text.encode("ascii")).digest() for text in texts]
    if not digests:
        return []
    size = len(digests[0])
    filler = bytes(-size % 3)
    chars, width = -(-size * 4 // 3), (size + len(filler)) * 4 // 3
    encoded = binascii.b2a_base64(filler.join(digests) + filler, newline=False).translate(_TO_URLSAFE).decode("ascii")
    return [encoded[start:start + chars] for start in range(0, len(encoded), width)]


_NO_DIGESTS: list[str] = []
_STR_ONLY = frozenset({str})  # parsed JSON holds exact types: a str, never a subclass
_SCALARS = frozenset({str, int, float, bool, type(None)})  # the JSON values that hold no other


class _Walker:
    """Replaces digests by the values of their disclosures, recursively (§7.1 steps 3-5)."""

    def __init__(self, by_digest: dict[str, Disclosure]) -> None:
        self.by_digest = by_digest
        self.seen: set[str] = set()
        self.paths: dict[str, Path] = {}
        self.parents: dict[str, str | None] = {}

    def value(self, value: Any, path: Path, parent: str | None) -> Any:
        if isinstance(value, dict):
            return self.object(value, path, parent)
        if isinstance(value, list):
            return self.array(value, path, parent)
        return value

    def object(self, node: dict[str, Any], path: Path, parent: str | None, top: bool = False) -> dict[str, Any]:
        if not top and "_sd" not in node and _SCALARS.issuperset(map(type, node.values())):
            return dict(node)  # no digest and nothing inside to walk (a cnf.jwk): a copy
        # A scalar is kept as it is without a call or a path: most claims are scalars.
        out = {}
        for key, child in node.items():
            if key == "_sd" or (top and key == "_sd_alg"):
                continue
            if isinstance(child, dict):
                out[key] = self.object(child, (*path, key), parent)
            elif isinstance(child, list):
                out[key] = self.array(child, (*path, key), parent)
            else:
                out[key] = child
        digests = node.get("_sd", _NO_DIGESTS)
        if not isinstance(digests, list) or not _STR_ONLY.issuperset(map(type, digests)):
            raise invalid("an '_sd' member must be a list of digests")
        seen, by_digest, paths, parents = self.seen, self.by_digest, self.paths, self.parents
        for digest in digests:
            if digest in seen:  # _take, inline: objects hold most digests
                raise invalid("a digest appears more than once in the SD-JWT")
            seen.add(digest)
            disclosure = by_digest.get(digest)
            if disclosure is None:
                continue  # a decoy
            name = disclosure.name
            if name is None:
                raise invalid("an array element's disclosure is referenced from an object")
            if name in out:
                raise invalid(f"the disclosed claim {name!r} collides with a claim already there")
            text, value, where = disclosure.text, disclosure.value, (*path, name)
            paths[text] = where  # _record, inline
            parents[text] = parent
            if isinstance(value, (dict, list)):
                value = self.value(value, where, text)
            out[name] = value
        return out
    def array(self, items: list[Any], path: Path, parent: str | None) -> list[Any]:
        if _SCALARS.issuperset(map(type, items)):
            return list(items)  # no digest ('...' is in an object) and nothing inside: a copy
        out: list[Any] = []
        for item in items:
            if isinstance(item, dict) and set(item) == {"..."}:
                digest = item["..."]
                if not isinstance(digest, str):
                    raise invalid("an array digest ('...') must be a string")
                disclosure = self._take(digest)
                if disclosure is None:
                    continue  # a decoy, or an element not disclosed
                if disclosure.name is not None:
                    raise invalid("an object property's disclosure is referenced from an array")
                where = (*path, len(out))
                self._record(disclosure, where, parent)
                out.append(self.value(disclosure.value, where, disclosure.text))
            elif isinstance(item, (dict, list)):
                out.append(self.value(item, (*path, len(out)), parent))
            else:
                out.append(item)
        return out

    def _take(self, digest: str) -> Disclosure | None:
        if digest in self.seen:
            raise invalid("a digest appears more than once in the SD-JWT")
        self.seen.add(digest)
        return self.by_digest.get(digest)

    def _record(self, disclosure: Disclosure, path: Path, parent: str | None) -> None:
        self.paths[disclosure.text] = path
        self.parents[disclosure.text] = parent


# -- §5 presentation ------------------------------------------------------------------------------


def needed_for(chosen: list[Path], processed: Processed) -> list[str]:
    """The disclosures that reveal `chosen` claim paths: each disclosure at, under or above a
    chosen path (a plain claim inside a disclosed object needs that object's disclosure), and
    every disclosure those sit inside (a nested claim needs its parents)."""
    wanted = wanted_for(chosen, processed)
    return [text for text in processed.paths if text in wanted]  # in the order they were found


def wanted_for(chosen: list[Path], processed: Processed) -> set[str]:
    """needed_for, as a set."""
    exact = {tuple(prefix) for prefix in chosen}  # at or under one: a prefix of its path is chosen
    hits = {prefix[:end] for prefix in exact for end in range(len(prefix) + 1)}  # at or above one
    if () in exact:  # the whole credential
        hits.update(processed.paths.values())
    wanted: set[str] = set()
    for text, path in processed.paths.items():  # set lookups: paths are few levels deep
        if path in hits or (len(path) > 1 and path[:1] in exact):  # under a top-level claim, first
            wanted.add(text)
        elif len(path) > 2:
            for end in range(2, len(path)):
                if path[:end] in exact:
                    wanted.add(text)
                    break
    parents = processed.parents
    for text in list(wanted):
        parent = parents.get(text)
        while parent is not None and parent not in wanted:
            wanted.add(parent)
            parent = parents.get(parent)
    return wanted


def sd_hash(presentation_prefix: str, alg: str) -> str:
    """§4.3.1: the digest of everything before the KB-JWT, its final '~' included."""
    return b64url(HASHES[alg](presentation_prefix.encode("ascii")).digest())


def malformed(reason: str) -> BadInputError:
    return BadInputError(f"malformed SD-JWT: {reason}", "check it is the SD-JWT the issuer sent, whole",
                         code="E_SD_JWT")


def invalid(reason: str) -> InvalidError:
    return InvalidError(f"the SD-JWT is not valid: {reason}",
                        "it was changed after it was issued, or put together from another one",
                        code="E_SD_JWT_INVALID")
