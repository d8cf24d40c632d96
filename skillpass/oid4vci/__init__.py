"""OpenID for Verifiable Credential Issuance 1.0, the wallet's side (`skillpass receive`).

    offer      the Credential Offer (§4): a link by value or by reference, an https URL, stdin
    metadata   Credential Issuer Metadata (§12.2) and its Authorization Server's (RFC 8414)
    proof      the key proof JWT (§8.2.1.1, Appendix F.1) and DPoP proofs (RFC 9449)
    holder     the pre-authorized code flow: token (§6), nonce (§7), credential (§8) requests

Every request goes through skillpass.net.http (https only, bounded, no cookies). Nothing here
touches the wallet: skillpass.flow.receiving verifies and stores what this returns.
"""
