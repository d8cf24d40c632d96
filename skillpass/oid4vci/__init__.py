"""OpenID for Verifiable Credential Issuance 1.0, the wallet's side (`skillpass receive`).

    offer      the Credential Offer (§4): a link by value or by reference, an https URL, stdin
    metadata   Credential Issuer Metadata (§12.2) and its Authorization Server's (RFC 8414)
    proof      the key proof JWT (§8.2.1.1, Appendix F.1) and DPoP proofs (RFC 9449)
    authorization  the authorization code flow's front channel (§5): PKCE, PAR, the loopback callback
    holder     token (§6, either grant), nonce (§7), credential (§8) requests

Every request goes through skillpass.net.http (https only, bounded, no cookies); the loopback
callback of the authorization code flow is the only listener. Nothing here
touches the wallet: skillpass.flow.receiving verifies and stores what this returns.
"""
