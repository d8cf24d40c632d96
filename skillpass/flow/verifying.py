"""The verifier's side, which needs no wallet: verify, and the issuers it trusts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skillpass.errors import NoPassphraseError
from skillpass.flow.material import kept_issuers, read_did_document, read_small_file, trusted_material_of

if TYPE_CHECKING:
    from skillpass.flow.session import Session


@dataclass(frozen=True)
class VerifierMaterial:
    """What a verification may use beside the bundle: contexts and DID documents given for this
    check (`--context`, `--did`) and those kept in the home's wallet (`contexts add`, `dids add`)."""

    contexts: dict[str, Path]
    dids: list[Path]
    session: Session | None  # the home's wallet, opened only when it keeps something
    status_lists: list[Path] = field(default_factory=list)  # --status-list FILE...


def verify_presentation_file(home: Path, source: bytes, *, challenge: str | None, domain: str | None,
                             allow_unbound: bool, require_trusted: bool, now: datetime,
                             material: VerifierMaterial | None = None, max_age: timedelta | None = None,
                             notice: Callable[[str], None] = lambda text: None) -> dict[str, Any]:
    """The verifier's check of a presentation or credential, in any format skillpass reads;
    `notice` hears what was not used."""
    context = verification_context(home, VerifyRequest(challenge, domain, allow_unbound, require_trusted,
                                                       now, max_age), material, notice)
    return verify_with(context, source)


@dataclass(frozen=True)
class VerifyRequest:
    """What the verifier asks of every input: the same for one file or a thousand."""

    challenge: str | None
    domain: str | None
    allow_unbound: bool
    require_trusted: bool
    now: datetime
    max_age: timedelta | None = None


@dataclass(frozen=True)
class VerificationContext:
    """Everything a verification uses beside its input, gathered once (and, for many files,
    shared with the worker processes): no wallet secret, only what the wallet keeps in the open."""

    request: VerifyRequest
    store: Any
    did_cache: dict[str, Any]
    trust: Any
    metadata: dict[str, Any]
    status_lists: dict[str, Any]
    status_obtained: dict[str, str]


def verification_context(home: Path, request: VerifyRequest, material: VerifierMaterial | None = None,
                         notice: Callable[[str], None] = lambda text: None) -> VerificationContext:
    from skillpass.jsonld.loader import ContextStore, parse_context
    from skillpass.trust import TrustList

    material = material or VerifierMaterial({}, [], None)
    extra, did_cache, issuers, (lists, obtained) = _kept_material(material.session, notice)
    given = {url: read_small_file(file) for url, file in material.contexts.items()}
    for url, data in given.items():
        parse_context(url, data)
    extra.update(given)
    did_cache.update(map(_given_did_document, material.dids))
    store = ContextStore.bundled().with_extra(extra) if extra else ContextStore.bundled()
    trust = TrustList.load(home)
    metadata = {**issuers, **trust.metadata()}
    if material.status_lists:
        lists.update(_given_lists(material.status_lists, store, did_cache, metadata, request.now))
    return VerificationContext(request, store, did_cache, trust, metadata, lists, obtained)


def verify_with(context: VerificationContext, source: bytes) -> dict[str, Any]:
    """One input checked in `context`: the report as --json prints it."""
    from skillpass.verifier import verify_input

    request = context.request
    report = verify_input(source, store=context.store, did_cache=context.did_cache, trust=context.trust,
                          challenge=request.challenge, domain=request.domain,
                          allow_unbound=request.allow_unbound, require_trusted=request.require_trusted,
                          metadata=context.metadata, max_age=request.max_age, now=request.now,
                          status_lists=context.status_lists, status_obtained=context.status_obtained)
    return report.to_dict()


def _given_lists(files: list[Path], store: Any, did_cache: dict[str, Any], metadata: dict[str, Any],
                 now: datetime) -> dict[str, Any]:
    from skillpass.formats.base import Material
    from skillpass.formats.issuer_keys import Trusted
    from skillpass.flow.status import given_lists

    return given_lists(files, Material(store, Trusted(did_cache, metadata)), now)


def _kept_material(session: Session | None, note: Callable[[str], None]
                   ) -> tuple[dict[str, bytes], dict[str, Any], dict[str, Any], tuple[dict[str, Any], dict[str, str]]]:
    """The contexts, DID documents, issuer metadata and status lists kept in the home's wallet,
    when it keeps any and can be unlocked without a prompt nobody can answer."""
    if session is None or not _has_wallet(session.home):
        return {}, {}, {}, ({}, {})
    from skillpass.flow.status import STATUS, kept_lists
    from skillpass.wallet.wallet import kept_counts

    counts = kept_counts(session.home, ("context", "did", "issuer", STATUS))
    if not any(counts.values()):
        return {}, {}, {}, ({}, {})
    try:
        with session.open() as wallet:
            return (*trusted_material_of(wallet), kept_issuers(wallet), kept_lists(wallet))
    except NoPassphraseError:
        from skillpass.i18n import counted

        kept = ", ".join(f"{counts[kind]} {counted(counts[kind], one, many)}" for kind, one, many in (
            ("did", "DID document", "DID documents"), ("context", "context", "contexts"),
            ("issuer", "issuer's metadata", "issuers' metadata"), (STATUS, "status list", "status lists"))
            if counts[kind])
        note(f"the wallet in {session.home} keeps what this check could use ({kept}); give its "
             "passphrase (--passphrase-file FILE or SKILLPASS_PASSPHRASE) to use them")
        return {}, {}, {}, ({}, {})


def _has_wallet(home: Path) -> bool:
    """Whether `home` holds a wallet file; known without loading the wallet's modules, which a
    verifier with no wallet never needs."""
    from skillpass.wallet import home as homes

    homes.check_home(home)
    return homes.db_path(home).exists()


def trust_add(home: Path, did: str | None, name: str, metadata_file: Path | None = None) -> dict[str, Any]:
    """Trust an issuer DID, or (with `metadata_file`) the https issuer whose JWT VC Issuer
    Metadata the file holds, keeping its keys for SD-JWT VCs and VC-JWTs."""
    from skillpass.errors import UsageError
    from skillpass.trust import TrustList

    if (did is None) == (metadata_file is None):
        raise UsageError("give the issuer's DID, or --metadata FILE for an https issuer",
                         "e.g. skillpass trust add did:web:boreal.example --name NAME")
    metadata = read_issuer_metadata(metadata_file) if metadata_file is not None else None
    trust = TrustList.load(home)
    entry = trust.add(did or "", name, metadata=metadata)
    trust.save()
    result = entry.to_dict()
    if metadata is not None:
        result["metadata"] = {"keys": len(metadata.keys)}
    return result


def read_issuer_metadata(file: Path) -> Any:
    """JWT VC Issuer Metadata from a file (as served at /.well-known/jwt-vc-issuer)."""
    from skillpass.errors import BadInputError
    from skillpass.formats.issuer_keys import parse_metadata
    from skillpass.ingest import parse_json

    try:
        document = parse_json(read_small_file(file))
    except BadInputError as exc:
        raise BadInputError(exc.message, "give the issuer's metadata (/.well-known/jwt-vc-issuer)",
                            code=exc.code) from None
    return parse_metadata(document)


def trust_remove(home: Path, did: str) -> dict[str, Any]:
    from skillpass.trust import TrustList

    trust = TrustList.load(home)
    trust.remove(did)
    trust.save()
    return {"removed": did}


def trust_list(home: Path) -> list[dict[str, Any]]:
    from skillpass.trust import TrustList

    return [{"issuer": entry.did, **entry.to_dict()} for entry in TrustList.load(home).entries()]


def _given_did_document(file: Path) -> tuple[str, dict[str, Any]]:
    """`verify --did FILE`: read and checked; an error names its file, as several may be given."""
    from skillpass.errors import SkillpassError

    try:
        return read_did_document(file)
    except SkillpassError as exc:
        if str(file) not in exc.message:
            exc.message = f"--did file {file}: {exc.message}"  # a template the catalog can match
        raise
