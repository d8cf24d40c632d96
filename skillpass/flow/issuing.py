"""`skillpass issue`: a test issuer's credential, status list or DID document.

The issuer's key is named and kept in the wallet (made on first use), or read from a key file
(written on first use, 0600). The wallet is opened only when it is needed: for a named key, or
for `--subject me` (the wallet's own holder DID).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skillpass.errors import UsageError

if TYPE_CHECKING:
    from skillpass.flow.session import Session
    from skillpass.issuing import CredentialSpec, TestIssuerKey

MAX_TEMPLATE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class IssuerChoice:
    """Which test issuer signs: a name kept in the wallet, or a key file."""

    name: str | None = None
    file: Path | None = None
    did_web: str | None = None  # the host, when the key is made now


@dataclass(frozen=True)
class IssueRequest:
    spec: CredentialSpec
    suite: str = "eddsa-rdfc-2022"
    template: Path | None = None
    mandatory: tuple[str, ...] = ()
    disclosable: tuple[str, ...] = ()
    subject_me: bool = False
    out: Path | None = None  # None or '-': the caller prints it


def issue_credential(session: Session, request: IssueRequest, issuer: IssuerChoice,
                     now: datetime) -> dict[str, Any]:
    """Sign a test credential; the result as `--json` prints it (the file written, if any)."""
    from dataclasses import replace

    from skillpass.issuing import issue
    from skillpass.issuing.sign import check_suite, key_type_for

    kind = key_type_for(check_suite(request.suite))
    template = _template(request.template)
    key, made = _key(session, issuer, kind, web=request.suite == "mattr-compact")
    spec, holder_jwk = request.spec, None
    if request.subject_me:
        holder = _holder(session, "P-256" if request.suite == "sd-jwt-vc" else "Ed25519")
        spec, holder_jwk = replace(spec, subject=holder["did"]), holder["publicKeyJwk"]
    elif request.suite == "sd-jwt-vc" and spec.subject and spec.subject.startswith("did:key:"):
        holder_jwk = _did_key_jwk(spec.subject)
    issued = issue(spec, key, suite=request.suite, now=now, template=template, mandatory=request.mandatory,
                   disclosable=request.disclosable, holder_jwk=holder_jwk)
    file = _write(request.out, issued.credential)
    return {"credential": issued.credential, "format": issued.format, "suite": issued.suite,
            "issuer": issued.issuer, "testIssuer": True, "verificationMethod": issued.verification_method,
            "issuerKey": {"name": key.name, "made": made, "where": _where(issuer)},
            "subject": spec.subject, "file": file}


def issue_status_list(session: Session, issuer: IssuerChoice, *, url: str | None, indices: tuple[int, ...],
                      suite: str, purpose: str, valid_until: datetime | None, out: Path | None,
                      now: datetime, issuer_name: str | None = None) -> dict[str, Any]:
    """A status list signed by the test issuer, with `indices` set."""
    from skillpass.issuing import sign_status_list
    from skillpass.issuing.sign import key_type_for

    if not url:
        raise UsageError("a status list needs --status-list URL", "give the URL the credentials name in "
                         "their status entry", code="E_USAGE")
    key, made = _key(session, issuer, key_type_for(suite), web=False)
    issued = sign_status_list(url, indices, key, now=now, suite=suite, purpose=purpose, valid_until=valid_until,
                              issuer_name=issuer_name)
    file = _write(out, issued.credential)
    return {"credential": issued.credential, "format": issued.format, "suite": issued.suite,
            "issuer": issued.issuer, "testIssuer": True, "statusList": url, "set": sorted(set(indices)),
            "purpose": purpose, "issuerKey": {"name": key.name, "made": made, "where": _where(issuer)},
            "file": file}


def issuer_did_document(session: Session, issuer: IssuerChoice, out: Path | None) -> dict[str, Any]:
    """The did:web document of a test issuer (made now as a did:web when it is new)."""
    key, made = _key(session, issuer, "P-256", web=True)
    document = key.did_document()
    return {"credential": document, "format": "did-document", "issuer": document["id"], "testIssuer": True,
            "issuerKey": {"name": key.name, "made": made, "where": _where(issuer)}, "file": _write(out, document)}


# -- the key ------------------------------------------------------------------------------------


def _key(session: Session, issuer: IssuerChoice, kind: str, *, web: bool) -> tuple[TestIssuerKey, bool]:
    """The test issuer's key and whether it was made now; a new one for a did:web need (`web`)
    is a did:web under test-issuer.example unless --did-web names the host."""
    from skillpass.issuing import keys

    if issuer.file is not None:
        if issuer.file.exists():
            return _as_asked(keys.read_key_file(issuer.file), issuer), False
        name = keys._file_name(issuer.file)
        host = issuer.did_web or (keys.default_web_host(name) if web else None)
        key = keys.generate(name, did_web=host, key_types=(kind,))
        keys.write_key_file(issuer.file, key, kind)
        return key, True
    name = keys.check_name(issuer.name or keys.DEFAULT_NAME)
    with session.open() as wallet:
        key = keys.load(wallet, name)
        if key is not None:
            return _as_asked(key, issuer), False
        from skillpass.wallet.wallet import utc_now

        host = issuer.did_web or (keys.default_web_host(name) if web else None)
        key = keys.generate(name, did_web=host, created=utc_now())
        keys.save(wallet, key)
    return key, True


def _as_asked(key: TestIssuerKey, issuer: IssuerChoice) -> TestIssuerKey:
    """`key`, unless --did-web asks for another identity than the one it was made with."""
    if issuer.did_web is not None and issuer.did_web != key.did_web:
        made = f"did:web:{key.did_web}" if key.did_web else "a did:key"
        raise UsageError(f"the test issuer {key.name} exists already as {made}",
                         "leave out --did-web, or give a new --issuer-key name", code="E_ISSUER_EXISTS")
    return key


def _where(issuer: IssuerChoice) -> str:
    return str(issuer.file) if issuer.file is not None else "wallet"


def _holder(session: Session, key_type: str) -> dict[str, Any]:
    with session.open() as wallet:
        described = [key.describe() for key in wallet.holder_keys()]
    found = next((d for d in described if d["keyType"] == key_type), described[0] if described else None)
    if found is None:
        raise UsageError("the wallet has no holder DID for --subject me", "run 'skillpass init' first",
                         code="E_NO_HOLDER")
    return found


def _did_key_jwk(did: str) -> dict[str, Any] | None:
    """The holder key an SD-JWT VC binds to (cnf) when its subject is a P-256 did:key."""
    from skillpass.dids import resolve_verification_method
    from skillpass.errors import SkillpassError
    from skillpass.keys.multikey import public_key_to_jwk

    try:
        method = resolve_verification_method(f"{did}#{did.removeprefix('did:key:')}")
    except SkillpassError:
        raise UsageError(f"--subject {did} is not a did:key skillpass can read", "give a did:key, or 'me'",
                         code="E_USAGE") from None
    return public_key_to_jwk(method.public_key) if method.key_type == "P-256" else None


# -- files ---------------------------------------------------------------------------------------


def _template(path: Path | None) -> dict[str, Any] | None:
    from skillpass.errors import BadInputError
    from skillpass.files import read_limited
    from skillpass.ingest import parse_json

    if path is None:
        return None
    document = parse_json(read_limited(path, MAX_TEMPLATE_BYTES, "a template"))
    if not isinstance(document, dict):
        raise BadInputError(f"{path} is not a JSON object", "give an unsigned credential or SD-JWT claims as "
                            "the template", code="E_TEMPLATE")
    return document


def _write(out: Path | None, credential: Any) -> str | None:
    import json

    from skillpass.files import write_new_file

    if out is None or str(out) == "-":
        return None
    text = credential if isinstance(credential, str) else json.dumps(credential, indent=2, ensure_ascii=False)
    write_new_file(out, (text + "\n").encode("utf-8"))
    return str(out)
