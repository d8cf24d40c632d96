"""W3C Verifiable Credentials in JSON-LD with Data Integrity proofs (`ldp_vc`)."""
