"""MATTR compact credentials: `CSC:/1/` (compact) and `CSS:/1/` (semantic, with a `vc` claim),
the base32 text of a COSE_Sign1 (RFC 9052) over CWT claims (RFC 8392), signed ES256 by a did:web
issuer. Bearer credentials with no selective disclosure: kept, shown and shared as issued.

    cose.py          COSE_Sign1: parse, Sig_structure, ES256 verify (and `sign1` for tests)
    cwt.py           the CSC/CSS text, CWT claims, the issuer's key, the validity period
    format.py        the format seam (formats/base.py): import, list, show, share
    presented.py     what `skillpass verify` reports for one
    status_list.py   the CWT revocation list a credential's status claim (-65537) names
"""
