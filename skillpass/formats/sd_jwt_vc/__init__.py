"""SD-JWT VC (RFC 9901, draft-ietf-oauth-sd-jwt-vc): parse, verify, present, issue."""
