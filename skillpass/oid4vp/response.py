"""The answer to an OpenID4VP request (§8): the vp_token and how it goes back.

`vp_token` is a JSON object from each DCQL credential query id to an array of presentations
(§8.1). direct_post (§8.2) posts it as a form field holding JSON, with `state`; direct_post.jwt
(§8.3) posts the same parameters as one JWE encrypted to the verifier's key from
client_metadata.jwks (ECDH-ES key agreement, A128GCM or A256GCM content encryption, §8.3.1),
made by jwcrypto rather than by hand.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from skillpass.errors import BadInputError, NetworkError
from skillpass.net.http import NetPolicy, host_of, post_form

ENCRYPTIONS = ("A128GCM", "A256GCM")  # §8.3: A128GCM is the default when none is named
KEY_ALGORITHMS = ("ECDH-ES",)


@dataclass(frozen=True)
class Sent:
    status: int
    redirect_uri: str | None  # where the verifier asks the learner to go next, if anywhere


def response_parameters(vp_token: dict[str, list[Any]], state: str | None) -> dict[str, Any]:
    parameters: dict[str, Any] = {"vp_token": vp_token}
    if state is not None:
        parameters["state"] = state
    return parameters


def encrypted_response(parameters: dict[str, Any], client_metadata: dict[str, Any]) -> str:
    """The compact JWE of the response parameters for the verifier's encryption key (§8.3)."""
    from jwcrypto import jwe, jwk

    key_data, enc = encryption_key(client_metadata)
    key = jwk.JWK(**key_data)
    header = {"alg": key_data.get("alg", "ECDH-ES"), "enc": enc}
    if isinstance(key_data.get("kid"), str):
        header["kid"] = key_data["kid"]
    token = jwe.JWE(json.dumps(parameters, ensure_ascii=False).encode("utf-8"), protected=header)
    token.add_recipient(key)
    return str(token.serialize(compact=True))


def encryption_key(client_metadata: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """(the verifier's public EC key for ECDH-ES, the content encryption to use)."""
    jwks = client_metadata.get("jwks")
    keys = jwks.get("keys") if isinstance(jwks, dict) else None
    if not isinstance(keys, list):
        raise _no_key("the request asks for an encrypted answer (direct_post.jwt) but its client_metadata "
                      "has no jwks")
    for key in keys:
        if not isinstance(key, dict) or key.get("kty") != "EC" or key.get("crv") not in ("P-256", "P-384"):
            continue
        if key.get("use", "enc") != "enc" or key.get("alg", "ECDH-ES") not in KEY_ALGORITHMS:
            continue
        if "d" in key:
            continue  # a private key has no place in a request
        public = {k: key[k] for k in ("kty", "crv", "x", "y", "kid", "alg", "use") if k in key}
        return public, _encryption(client_metadata)
    raise _no_key("the verifier offers no P-256 or P-384 key for ECDH-ES in client_metadata.jwks")


def _encryption(client_metadata: dict[str, Any]) -> str:
    offered = client_metadata.get("encrypted_response_enc_values_supported")
    if offered is None:
        legacy = client_metadata.get("authorization_encrypted_response_enc")  # drafts' name
        offered = [legacy] if isinstance(legacy, str) else ["A128GCM"]
    if not isinstance(offered, list):
        raise _no_key("the request's encrypted_response_enc_values_supported is not a list")
    for enc in offered:
        if enc in ENCRYPTIONS:
            return str(enc)
    raise _no_key(f"the verifier accepts none of the encryptions skillpass makes ({', '.join(ENCRYPTIONS)})")


def _no_key(message: str) -> BadInputError:
    return BadInputError(message, "ask the verifier for a request skillpass can answer",
                         code="E_RESPONSE_ENCRYPTION")


def post_response(response_uri: str, mode: str, parameters: dict[str, Any], client_metadata: dict[str, Any],
                  policy: NetPolicy) -> Sent:
    """Send the answer to response_uri (§8.2, §8.3) and read what the verifier said back."""
    if mode == "direct_post.jwt":
        form = {"response": encrypted_response(parameters, client_metadata)}
    else:
        form = {name: value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                for name, value in parameters.items()}
    response = post_form(response_uri, form, policy, headers={"accept": "application/json"})
    if not 200 <= response.status < 300:
        raise NetworkError(f"the verifier at {host_of(response_uri)} refused the answer ({response.status}"
                           f"{_error_of(response)})", "ask the verifier for a new request", code="E_VERIFIER_REFUSED")
    redirect = None
    if response.content_type == "application/json" and response.body:
        try:
            body = response.json()
        except NetworkError:
            body = None
        if isinstance(body, dict) and isinstance(body.get("redirect_uri"), str):
            redirect = body["redirect_uri"][:2000]
    return Sent(response.status, redirect)


def _error_of(response: Any) -> str:
    try:
        body = json.loads(response.body[:4096])
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    parts = [str(body[k])[:200] for k in ("error", "error_description") if isinstance(body.get(k), str)]
    return (": " + " - ".join(parts)) if parts else ""
