"""What verification may use beside the bundle: JSON-LD contexts and DID documents, kept in the
wallet (`contexts add`, `dids add`), and the issuer metadata kept in the trust list."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from skillpass.flow.session import Session


def trusted_material(wallet: Any) -> tuple[Any, dict[str, Any]]:
    """The context store (bundled plus user-trusted) and the local DID document cache."""
    from skillpass.jsonld.loader import ContextStore

    extra, did_cache = trusted_material_of(wallet)
    return ContextStore.bundled().with_extra(extra), did_cache


def wallet_material(wallet: Any, home: Path) -> Any:
    """Everything an import or a share may check keys and contexts with (formats.base.Material)."""
    from skillpass.formats.base import Material
    from skillpass.formats.issuer_keys import Trusted

    from collections import ChainMap

    store, did_cache = trusted_material(wallet)
    return Material(store, Trusted(did_cache, ChainMap(KeptMetadata(home), kept_issuers(wallet))))


def kept_issuers(wallet: Any) -> dict[str, Any]:
    """The JWT VC Issuer Metadata kept in the wallet beside the credentials verified with it
    (so that a backup restores them with what they need)."""
    from skillpass.errors import SkillpassError
    from skillpass.formats.issuer_keys import parse_metadata

    issuers = {}
    for _, value in wallet.items_json("issuer"):
        try:
            metadata = parse_metadata(value["metadata"])
        except (KeyError, TypeError, SkillpassError):
            continue
        issuers[metadata.issuer] = metadata
    return issuers


def keep_issuer(wallet: Any, metadata: dict[str, Any]) -> None:
    from skillpass.wallet.wallet import utc_now

    wallet.put_json("issuer", wallet.record_id("issuer", metadata["issuer"]),
                    {"issuer": metadata["issuer"], "metadata": metadata, "added": utc_now()}, replace=True)


class KeptMetadata(Mapping[str, Any]):
    """The issuer metadata of the trust list in `home`, read when a credential first needs it:
    a JSON-LD import never depends on trust.json."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self._loaded: dict[str, Any] | None = None

    def _all(self) -> dict[str, Any]:
        if self._loaded is None:
            from skillpass.trust import TrustList

            self._loaded = TrustList.load(self.home).metadata()
        return self._loaded

    def __getitem__(self, issuer: str) -> Any:
        return self._all()[issuer]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def trusted_material_of(wallet: Any) -> tuple[dict[str, bytes], dict[str, Any]]:
    """The wallet's trusted contexts (URL -> bytes) and DID documents (id -> document)."""
    extra = {value["url"]: value["data"].encode() for _, value in wallet.items_json("context")}
    return extra, kept_documents(wallet)


def kept_documents(wallet: Any) -> dict[str, Any]:
    """The documents the wallet keeps, by id: DID documents, OB 2.0 BadgeClasses and Profiles."""
    return {value["id"]: value["document"] for _, value in wallet.items_json("did")}


def add_context(session: Session, file: Path, url: str) -> dict[str, Any]:
    """Trust a JSON-LD context the bundle lacks, pinned by the SHA-256 of the file's bytes."""
    import hashlib
    from urllib.parse import urlsplit

    from skillpass.encoding.plain_text import first_space, unsafe_character
    from skillpass.errors import UsageError
    from skillpass.jsonld.loader import ContextStore, parse_context
    from skillpass.wallet.wallet import utc_now

    found = unsafe_character(url)
    if found is not None:
        raise UsageError(f"the context URL has a control or invisible character ({found})",
                         "give the URL credentials use, as plain text")
    space = first_space(url)
    if space not in (None, "U+0020"):  # it reads as a plain space, or as nothing: say which
        raise UsageError(f"the context URL has a space character ({space})", "give the URL credentials use, "
                         "as plain text")
    if not url.startswith("https://"):
        raise UsageError(f"a context URL must start with https://: {url}", "give the URL credentials use")
    try:
        host = urlsplit(url).hostname
    except ValueError:  # "https://[::1"
        host = None
    if space is not None or not host:  # no credential could name it
        raise UsageError(f"a context URL names a host and has no spaces: {url}", "give the URL credentials use")
    if url in ContextStore.bundled():
        raise UsageError(f"{url} is bundled with skillpass already", "nothing to add")
    data = read_small_file(file)
    parse_context(url, data)  # refuses anything that is not a JSON-LD context document
    digest = hashlib.sha256(data).hexdigest()
    record = {"url": url, "sha256": digest, "added": utc_now(), "data": data.decode("utf-8")}
    with session.open() as wallet:
        wallet.put_json("context", wallet.record_id("context", url), record, replace=True)
    return {"url": url, "sha256": digest, "source": "added"}


def list_contexts(session: Session) -> list[dict[str, Any]]:
    from skillpass.jsonld.loader import bundled_manifest
    from skillpass.wallet import home as homes

    rows = [{"url": e["url"], "sha256": e["sha256"], "source": f"bundled ({e['package']})"}
            for e in bundled_manifest()]
    if homes.db_path(session.home).exists():
        with session.open() as wallet:
            rows += [{"url": v["url"], "sha256": v["sha256"], "source": f"added {v['added']}"}
                     for _, v in wallet.items_json("context")]
    return rows


def add_did_document(session: Session, file: Path) -> dict[str, Any]:
    """Keep a DID document (an issuer's did:web) or an https issuer's controller document, so
    its keys resolve offline."""

    from skillpass.wallet.wallet import utc_now

    did, document = read_did_document(file)
    with session.open() as wallet:
        wallet.put_json("did", wallet.record_id("did", did),
                        {"id": did, "document": document, "added": utc_now()}, replace=True)
    return {"id": did, "verificationMethods": len(document.get("verificationMethod", []))}


def read_did_document(file: Path) -> tuple[str, dict[str, Any]]:
    """(DID, document) from a DID document or https controller document file, or (id, document)
    from an Open Badges 2.0 CryptographicKey, Profile or BadgeClass (kept in the same cache)."""
    from skillpass.errors import BadInputError
    from skillpass.ingest import parse_json

    try:
        document = parse_json(read_small_file(file))
    except BadInputError as exc:
        raise BadInputError(exc.message, "give the issuer's DID document (did.json)", code=exc.code) from None
    return kept_document_of(document)


def kept_document_of(document: Any) -> tuple[str, dict[str, Any]]:
    """(id, document) of a DID or controller document, or of an OB 2.0 issuer document, which a
    signed Open Badge 2.0 is verified with (formats/ob2/documents.py validates it)."""
    from skillpass.dids import did_document_of
    from skillpass.formats.ob2.documents import kind_of, read_document

    if kind_of(document) is not None and "verificationMethod" not in document:
        return read_document(document)
    return did_document_of(document)


def list_did_documents(session: Session) -> list[dict[str, Any]]:
    with session.open() as wallet:
        return [{"id": v["id"], "added": v["added"],
                 "verificationMethods": len(v["document"].get("verificationMethod", []))}
                for _, v in wallet.items_json("did")]


def read_small_file(file: Path, limit: int = 1024 * 1024) -> bytes:
    from skillpass.files import read_limited

    return read_limited(file, limit, "a context or DID document")
