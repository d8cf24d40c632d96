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
from skillpass.net.http import NetPolicy, Response, check_url, host_of, post_form

ENCRYPTIONS = ("A128GCM", "A256GCM")  # §8.3: A128GCM is the default when none is named
KEY_ALGORITHMS = ("ECDH-ES",)


MAX_REPLY = 64 * 1024  # §8.2's reply is a small JSON object; a larger one is not read
MAX_REDIRECT = 2000  # characters of a redirect_uri a person could be asked to follow


@dataclass(frozen=True)
class Sent:
    status: int
    redirect_uri: str | None  # where the verifier asks the learner to go next, if anywhere
    warnings: tuple[str, ...] = ()  # the reply was outside §8.2: said, never shown raw


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
    """Send the answer to response_uri (§8.2, §8.3) and read what the verifier said back.

    §8.2: a verifier that processed the answer says 200, with a JSON object that may carry a
    redirect_uri for the learner to follow. A 2xx is taken as delivered whatever its body; a
    body outside §8.2 (HTML, not JSON, JSON but no object, too large) or a redirect_uri that is
    not https is only a warning, never shown raw: no next step is offered. A redirect is not
    followed: a 307 would post the presentation again, to a host the learner did not confirm."""
    if mode == "direct_post.jwt":
        form = {"response": encrypted_response(parameters, client_metadata)}
    else:
        form = {name: value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                for name, value in parameters.items()}
    response = post_form(response_uri, form, policy.at_most(MAX_REPLY),
                         headers={"accept": "application/json"}, follow=False, cut=True)
    host = host_of(response_uri)
    if 300 <= response.status < 400:
        raise NetworkError(f"the verifier at {host} answered {response.status}, sending the answer elsewhere, "
                           "instead of taking it", "ask the verifier whether your answer arrived; if not, "
                           "ask it for a new request", code="E_VERIFIER_REDIRECTED")
    if not 200 <= response.status < 300:
        raise NetworkError(f"the verifier at {host} refused the answer ({response.status}"
                           f"{_error_of(response)})", "ask the verifier for a new request", code="E_VERIFIER_REFUSED")
    redirect, warning = _next_step(response, policy)
    return Sent(response.status, redirect, (warning,) if warning else ())


def _next_step(response: Response, policy: NetPolicy) -> tuple[str | None, str | None]:
    """(the https redirect_uri of a §8.2 reply, or a warning saying why there is none to follow)."""
    host = host_of(response.url)
    if response.cut:
        return None, f"the verifier at {host} took the answer but sent a reply of more than " \
                     f"{MAX_REPLY // 1024} KiB, which skillpass did not read: go back to the verifier's page"
    if not response.body.strip():
        return None, None  # a bare 200 (OpenID4VP drafts): delivered, no next step
    try:
        body = response.json()
    except NetworkError:
        body = None
    if response.content_type != "application/json" and not isinstance(body, dict):
        kind = response.content_type[:40] or "no content type"
        return None, f"the verifier at {host} took the answer but replied with {kind}, not the JSON " \
                     "OpenID4VP asks for: go back to the verifier's page for what comes next"
    if not isinstance(body, dict):
        return None, f"the verifier at {host} took the answer but its reply is not a JSON object: " \
                     "go back to the verifier's page for what comes next"
    redirect = body.get("redirect_uri")
    if redirect is None and isinstance(body.get("error"), str):  # an error response belongs in a 400 (§8.2)
        return None, f"the verifier at {host} said it took the answer (200) but also sent an error" \
                     f"{_oauth_error_code(body['error'])}: ask the verifier whether your answer arrived"
    if redirect is None:
        return None, None
    if not isinstance(redirect, str):
        return None, f"the verifier at {host} took the answer but its redirect_uri is not text: " \
                     "go back to the verifier's page for what comes next"
    try:
        if len(redirect) <= MAX_REDIRECT:  # cut short it would be another address: not shown at all
            return check_url(redirect, policy), None
    except NetworkError:
        pass
    return None, f"the verifier at {host} took the answer and asks you to continue at an address that " \
                 "is not a clean https address, which skillpass does not show: go back to the verifier's page"


def _oauth_error_code(error: str) -> str:
    """' (CODE)' when `error` is an error code as RFC 6749 §5.2 spells one (printable ASCII but
    quote and backslash), short; else nothing: it is text from outside."""
    if 0 < len(error) <= 64 and all(0x20 <= ord(c) <= 0x7e and c not in '"\\' for c in error):
        return f" ({error})"
    return ""


def _error_of(response: Any) -> str:
    try:
        body = json.loads(response.body[:4096])
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    parts = [str(body[k])[:200] for k in ("error", "error_description") if isinstance(body.get(k), str)]
    return (": " + " - ".join(parts)) if parts else ""
