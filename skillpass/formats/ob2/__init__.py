"""Open Badges 2.0 (and 1.x) assertions: hosted JSON, kept only unverified and said so, or signed
as an RS256 compact JWS, verified offline against the issuer's CryptographicKey, Profile and
BadgeClass documents kept with `skillpass dids add` (documents.py, assertion.py)."""
