"""CBOR-LD tags, registry entries and the global tables of integer values.

A CBOR-LD payload is one CBOR tag (CBOR-LD 1.0 §"CBOR Tags for CBOR-LD"); which tag says which
tables compressed it:

    0x0500 / 0x0501     legacy singleton: uncompressed / compressed with the legacy tables
                        (@digitalcredentials/cborld 4, used by @digitalcredentials/vpqr 2)
    0x0600 + n          legacy range: registry entry n (n < 128), or a varint continued in a
                        2-element array [bytes, payload]
    0xcb1d (51997)      CBOR-LD 1.0: [registryEntryId, payload] (@digitalbazaar/cborld >= 8)

Registry entry 0 is "uncompressed", entry 1 "the default: terms from the contexts, no type
tables". Other entries need type tables a registry publishes; skillpass has none of them, so a
payload naming one is unverifiable here (E_CBORLD_REGISTRY_UNKNOWN), not malformed.

The legacy context table is the spec's Term Codec Registry (CBOR-LD 1.0 appendix). The legacy
encoder writes only the entries @digitalcredentials/cborld 4.3.4 knows (0x10-0x20, 0x30-0x32), so
that @digitalcredentials/vpqr can read what we write; the decoder also reads 0x21 (VC 2.0) and
0x33 (Data Integrity v2), which @digitalbazaar/cborld added later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from skillpass.encoding.cborld.errors import needs_table

TAG_LEGACY_UNCOMPRESSED = 0x0500
TAG_LEGACY_COMPRESSED = 0x0501
TAG_LEGACY_RANGE_START = 0x0600
TAG_LEGACY_RANGE_END = 0x06FF
TAG_CBORLD_1_0 = 0xCB1D

LEGACY_SINGLETON = "legacy-singleton"
LEGACY_RANGE = "legacy-range"
CBORLD_1_0 = "cbor-ld-1.0"

REGISTRY_UNCOMPRESSED = 0
REGISTRY_DEFAULT = 1
SUPPORTED_REGISTRY_ENTRIES = (REGISTRY_UNCOMPRESSED, REGISTRY_DEFAULT)

# Context URL -> id, as @digitalcredentials/cborld 4.3.4 lib/codecs/registeredContexts.js has it.
LEGACY_CONTEXTS: Mapping[str, int] = {
    "https://www.w3.org/ns/activitystreams": 0x10,
    "https://www.w3.org/2018/credentials/v1": 0x11,
    "https://www.w3.org/ns/did/v1": 0x12,
    "https://w3id.org/security/suites/ed25519-2018/v1": 0x13,
    "https://w3id.org/security/suites/ed25519-2020/v1": 0x14,
    "https://w3id.org/cit/v1": 0x15,
    "https://w3id.org/age/v1": 0x16,
    "https://w3id.org/security/suites/x25519-2020/v1": 0x17,
    "https://w3id.org/veres-one/v1": 0x18,
    "https://w3id.org/webkms/v1": 0x19,
    "https://w3id.org/zcap/v1": 0x1A,
    "https://w3id.org/security/suites/hmac-2019/v1": 0x1B,
    "https://w3id.org/security/suites/aes-2019/v1": 0x1C,
    "https://w3id.org/vaccination/v1": 0x1D,
    "https://w3id.org/vc-revocation-list-2020/v1": 0x1E,
    "https://w3id.org/dcc/v1": 0x1F,
    "https://w3id.org/vc/status-list/v1": 0x20,
    "https://w3id.org/security/data-integrity/v1": 0x30,
    "https://w3id.org/security/multikey/v1": 0x31,
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json": 0x32,
}
# Added by @digitalbazaar/cborld (lib/tables.js STRING_TABLE): read, never written (see above).
LATER_LEGACY_CONTEXTS: Mapping[str, int] = {
    "https://www.w3.org/ns/credentials/v2": 0x21,
    "https://w3id.org/security/data-integrity/v2": 0x33,
}
# Ids at or above 0x8000 are an application's own `appContextMap` (legacy spec): not global.
FIRST_APP_CONTEXT_ID = 0x8000

# URL prefix -> id: the first element of a compressed URL array.
URL_SCHEMES: Mapping[str, int] = {
    "http://": 1, "https://": 2, "urn:uuid:": 3, "data:": 4, "did:v1:nym:": 1024, "did:key:": 1025,
}
URL_SCHEME_IDS: Mapping[int, str] = {v: k for k, v in URL_SCHEMES.items()}
# @digitalcredentials/cborld 4.3.4 compresses these schemes only (no `data:`).
LEGACY_ENCODED_SCHEMES = ("http://", "https://", "urn:uuid:", "did:v1:nym:", "did:key:")

# The legacy type table's cryptosuite strings (@digitalbazaar/cborld legacy mode only).
CRYPTOSUITE_STRING = "https://w3id.org/security#cryptosuiteString"
LEGACY_CRYPTOSUITES: Mapping[int, str] = {
    1: "ecdsa-rdfc-2019", 2: "ecdsa-sd-2023", 3: "eddsa-rdfc-2022", 4: "ecdsa-xi-2023",
}

MULTIBASE = "https://w3id.org/security#multibase"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"


@dataclass(frozen=True)
class Profile:
    """How one kind of payload compresses values.

    `legacy` selects @digitalcredentials/cborld 4.3.4's codecs for writing and, for reading,
    those plus what @digitalbazaar/cborld's legacy mode writes (term ids and table ids as URL
    values, cryptosuite ids, base64url multibase, data: URLs, dates before 1970). Otherwise it is
    @digitalbazaar/cborld 8's registry entry 1: URLs from terms or by scheme, undefined terms
    kept as text keys, no context or string tables.
    """

    format: str
    registry_entry_id: int | None
    legacy: bool
    encode_contexts: Mapping[str, int] = field(default_factory=dict)
    decode_contexts: Mapping[int, str] = field(default_factory=dict)


LEGACY = Profile(LEGACY_SINGLETON, None, True, LEGACY_CONTEXTS,
                 {v: k for k, v in {**LEGACY_CONTEXTS, **LATER_LEGACY_CONTEXTS}.items()})
DEFAULT_1_0 = Profile(CBORLD_1_0, REGISTRY_DEFAULT, False)


def profile_for(format: str, registry_entry_id: int) -> Profile:
    """The profile of a compressed payload with this header (registry entry 0 is uncompressed
    and needs none); an entry we have no tables for is unverifiable, not malformed."""
    if registry_entry_id == REGISTRY_DEFAULT:
        return DEFAULT_1_0 if format == CBORLD_1_0 else Profile(format, REGISTRY_DEFAULT, False)
    raise needs_table(
        f"this CBOR-LD payload uses registry entry {registry_entry_id}, whose tables skillpass "
        "does not have",
        f"skillpass reads registry entries {', '.join(map(str, SUPPORTED_REGISTRY_ENTRIES))} and "
        "the legacy tag 0x0501; ask for the presentation as JSON",
        "E_CBORLD_REGISTRY_UNKNOWN")
