"""HMAC-signed, expiring download links for exported files (Zalo cannot send documents).

A link is `{PUBLIC_BASE_URL}/files/{expires}/{signature}/{file name}`: the signature covers the
name and the expiry, so neither can be changed; it is checked in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from core.settings import Settings

# Only names the exporter makes: no slashes, no leading dot, nothing to escape in a URL.
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$")
PREFIX = "/files"


class LinkCheck(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    TAMPERED = "tampered"


@dataclass(frozen=True, slots=True)
class SignedLink:
    url: str
    expires_at: datetime


class LinkSigner:
    """Signs and verifies download paths with one secret."""

    def __init__(self, secret: str, ttl: timedelta) -> None:
        if not secret:
            raise ValueError("LINK_SECRET is empty")
        self._key = hashlib.sha256(b"danvan-download-link\n" + secret.encode()).digest()
        self.ttl = ttl

    def _signature(self, name: str, expires: int) -> str:
        digest = hmac.new(self._key, f"{name}\n{expires}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def path(self, name: str, now: datetime) -> tuple[str, datetime]:
        """The signed path of a file and the moment it stops working."""
        if not SAFE_NAME.match(name):
            raise ValueError("unsafe file name for a download link")
        expires_at = now + self.ttl
        expires = int(expires_at.timestamp())
        return f"{PREFIX}/{expires}/{self._signature(name, expires)}/{name}", expires_at

    def check(self, name: str, expires: str, signature: str, now: datetime) -> LinkCheck:
        """Tampered first (a forged expiry is not "expired"), then the time limit."""
        if not SAFE_NAME.match(name) or not expires.isdigit() or len(expires) > 12:
            return LinkCheck.TAMPERED
        expected = self._signature(name, int(expires))
        if not hmac.compare_digest(expected.encode(), signature.encode()):
            return LinkCheck.TAMPERED
        if now.timestamp() >= int(expires):
            return LinkCheck.EXPIRED
        return LinkCheck.VALID


def signer_for(settings: Settings) -> LinkSigner | None:
    """None when links cannot be offered (no secret or no public address)."""
    secret = settings.link_secret.get_secret_value()
    if not secret or not settings.public_base_url:
        return None
    return LinkSigner(secret, timedelta(hours=settings.link_ttl_hours))


def signed_link(settings: Settings, signer: LinkSigner, name: str, now: datetime) -> SignedLink:
    path, expires_at = signer.path(name, now)
    return SignedLink(settings.public_base_url.rstrip("/") + path, expires_at)
