"""JSON-LD processing for proofs: expansion, toRdf and RDFC-1.0 canonical N-Quads, offline.

Every call uses a `ContextStore` (default: the bundled contexts) and maps every pyld failure to
a skillpass error: an unknown context surfaces as `E_CONTEXT_UNKNOWN` naming the URL, anything
else as `BadInputError("not valid JSON-LD: ...", code="E_JSONLD")`. Canonicalization is our own
(skillpass.jsonld.rdfc10); a document past its work bound is `UnverifiableError` E_CANON_LIMIT.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from skillpass.errors import BadInputError, SkillpassError, UnverifiableError
from skillpass.jsonld import direct_rdf, pyld_offline, rdfc10
from skillpass.jsonld.loader import ContextStore

_T = TypeVar("_T")

_NQUADS = "application/n-quads"


def canonize(document: dict[str, Any], store: ContextStore | None = None, *, safe: bool = True,
             hash_name: str = "sha256") -> str:
    """RDFC-1.0 canonical N-Quads of `document` (UTF-8 text, one quad per line, each ending \\n).

    toRdf (skillpass.jsonld.direct_rdf's walk, the same quads as pyld's toRdf, or pyld's own
    for shapes the walk leaves to it), then skillpass.jsonld.rdfc10: the bytes rdf-canonize
    (jsonld.js) produces, within the same work bound; past it, UnverifiableError
    E_CANON_LIMIT. `safe` (documents) refuses a term no context defines, as digitalbazaar's
    jsonld-signatures does: pyld would drop it from the signed statements while the learner
    still sees it. Proof configurations, built here from a proof's options, are canonicalized
    with safe=False. `hash_name` is RDFC-1.0's internal hash (vc-di-ecdsa uses SHA-384 with
    P-384 keys); it only orders blank nodes.
    """
    # toRdf exactly as normalize() does it: standard (not generalized) RDF.
    options = _options(store, produceGeneralizedRdf=False)
    processor = safe_processor() if safe else pyld_offline.jsonld().JsonLdProcessor()
    # skillpass.jsonld.direct_rdf's walk makes the same quads for the shapes credentials use,
    # and leaves every other document to pyld
    terms = _run(lambda: direct_rdf.to_quads(processor, _checked(document), options))
    if terms is not None:
        return _run(lambda: rdfc10.canonicalize_terms(terms, hash_name=hash_name).text)
    dataset = _run(lambda: (processor.to_rdf(_checked(document), options) if safe
                            else _plain_to_rdf(_checked(document), options)))
    return _run(lambda: rdfc10.canonicalize(rdfc10.quads_from_pyld_dataset(dataset),
                                            hash_name=hash_name).text)


def canon_limit_error() -> UnverifiableError:
    """RDFC-1.0 gave up at the work bound: nobody's fault, and nothing we can check."""
    # jsonld.js stops at the same bound, so whoever signed this did not use it; the data may be
    # fine, and the proof is neither good nor bad as far as we can tell.
    return UnverifiableError(
        "the document has more look-alike blank nodes than canonicalization allows (the same "
        "limit as jsonld.js), so its proof could not be checked here",
        "ask for a copy in which repeated objects carry an id (a URL or urn:uuid), or one "
        "signed with a JCS suite (eddsa-jcs-2022, ecdsa-jcs-2019); a presentation can also "
        "be shared one credential at a time",
        code="E_CANON_LIMIT")


def _plain_to_rdf(document: dict[str, Any], options: dict[str, Any]) -> Any:
    return pyld_offline.jsonld().to_rdf(document, options)


class UndefinedTermError(Exception):
    """pyld was about to drop a property that no context defines."""

    def __init__(self, term: str | None) -> None:
        super().__init__(term)
        self.term = term


def _refuse_dropped(term: str | None) -> None:
    raise UndefinedTermError(term)


def safe_processor() -> Any:
    """A pyld processor that raises UndefinedTermError instead of silently dropping a term."""
    return pyld_offline.jsonld().JsonLdProcessor(on_property_dropped=_refuse_dropped)


def undefined_term_error(term: str | None) -> BadInputError:
    return BadInputError(
        f"the credential uses the term {term!r}, which its JSON-LD contexts do not define, "
        "so no proof can cover it",
        "ask the issuer for a credential whose terms are all defined",
        code="E_JSONLD_UNDEFINED_TERM")


def expand(document: dict[str, Any], store: ContextStore | None = None) -> list[Any]:
    """JSON-LD 1.1 expanded form of `document`."""
    jsonld = pyld_offline.jsonld()
    options = _options(store)
    return _run(lambda: jsonld.expand(_checked(document), options))


def to_rdf_nquads(document: dict[str, Any], store: ContextStore | None = None) -> str:
    """toRdf of `document` as N-Quads text (lines sorted), NOT canonicalized (blank nodes _:b0...).

    ecdsa-sd-2023 runs this on a skolemized document, whose blank nodes are already IRIs.
    """
    jsonld = pyld_offline.jsonld()
    options = _options(store, format=_NQUADS)
    return _run(lambda: jsonld.to_rdf(_checked(document), options))


def to_nquads(document: dict[str, Any], store: ContextStore | None = None) -> str:
    """Same as `to_rdf_nquads`."""
    return to_rdf_nquads(document, store)


def context_urls(document: dict[str, Any]) -> list[str]:
    """The context URLs named by the top-level `@context`, in order (inline objects skipped).

    Raises BadInputError when `@context` is neither a string, an object, nor a list of those.
    """
    return [ctx for ctx in _top_level_contexts(document) if isinstance(ctx, str)]


def has_inline_context(document: dict[str, Any]) -> bool:
    """True when the top-level `@context` embeds a context object instead of naming a URL."""
    return any(isinstance(ctx, dict) for ctx in _top_level_contexts(document))


def _top_level_contexts(document: Any) -> Iterator[str | dict[str, Any]]:
    if not isinstance(document, dict):
        raise _bad("the document is not a JSON object")
    contexts = document.get("@context", [])
    for ctx in contexts if isinstance(contexts, list) else [contexts]:
        if not isinstance(ctx, (str, dict)):
            raise _bad("@context must be a URL, an object or a list of them")
        yield ctx


def _options(store: ContextStore | None, **extra: Any) -> dict[str, Any]:
    # base None: a credential has no document URL, so relative IRIs stay relative (and drop out
    # of the RDF) instead of being resolved against a made-up base.
    from skillpass.jsonld import hot_paths, speedups

    speedups.install()
    hot_paths.install()
    options: dict[str, Any] = {"base": None, "processingMode": "json-ld-1.1"}
    options.update((store or ContextStore.bundled()).pyld_options())
    options.update(extra)
    return options


def _checked(document: Any) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise _bad("the document is not a JSON object")
    return document


def _run(operation: Callable[[], _T]) -> _T:
    """Run a pyld operation; translate every failure into a skillpass error."""
    try:
        return operation()
    except SkillpassError:
        raise
    except rdfc10.CanonicalizationLimitError:
        raise canon_limit_error() from None
    except Exception as exc:  # pyld raises JsonLdError but also bare TypeError/KeyError on junk
        ours = _our_error_in_chain(exc)
        if ours is not None:
            raise ours.with_traceback(None) from None
        dropped = next((e for e in error_causes(exc) if isinstance(e, UndefinedTermError)), None)
        if dropped is not None:
            raise undefined_term_error(dropped.term) from None
        raise _bad(_short_reason(exc)) from None


def error_causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it was raised from or during, innermost last."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _our_error_in_chain(exc: BaseException) -> SkillpassError | None:
    """pyld wraps a loader exception several times over; find ours inside."""
    return next((e for e in error_causes(exc) if isinstance(e, SkillpassError)), None)


def _short_reason(exc: BaseException) -> str:
    """The innermost pyld message, first line, e.g. 'invalid local context'."""
    JsonLdError = pyld_offline.jsonld().JsonLdError
    chain = [e for e in error_causes(exc) if isinstance(e, JsonLdError)]
    if not chain:
        return f"processing failed ({type(exc).__name__})"
    inner = chain[-1]
    if inner.code:
        return str(inner.code)
    message = str(inner.args[0]) if inner.args else inner.type
    return message.splitlines()[0].rstrip(".").lower()


def _bad(reason: str) -> BadInputError:
    return BadInputError(
        f"not valid JSON-LD: {reason}",
        hint="the credential's JSON-LD is malformed; ask the issuer for a corrected copy",
        code="E_JSONLD",
    )
