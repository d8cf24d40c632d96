"""Answering verifiers: OpenID4VP 1.0 requests (DCQL), DIF Presentation Exchange v2 definitions
and W3C VC-API Verifiable Presentation Requests.

    query      what a request asks for, whatever its language, as one Query
    request    reading a request (link, request_uri, request object, file) and who sent it
    verifier_trust  a signed request object's x5c chain and client id
    select     a Query against the wallet: which credentials, which fields
    response   the vp_token, direct_post and direct_post.jwt
"""
