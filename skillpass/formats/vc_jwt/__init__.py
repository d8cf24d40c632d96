"""VC-JWT: credentials secured as one JWS (`jwt_vc_json`, `vc+jwt`), shared whole in a JWT presentation."""
