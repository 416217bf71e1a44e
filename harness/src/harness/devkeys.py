"""The development signing key: generated on first use into the run folder (never committed), used by
`./dx token` to mint tokens and by the local gateway to verify them."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from harness.paths import RUN

KEYS = RUN / "keys"
PRIVATE_KEY = KEYS / "dev-jwt-private.pem"
PUBLIC_KEY = KEYS / "dev-jwt-public.pem"
ISSUER = "backan-dx-dev"
AUDIENCE = "backan-dx"


def ensure_key_pair(folder: Path = KEYS) -> tuple[Path, Path]:
    """Create the P-256 key pair once; return (private, public) paths."""
    private_path, public_path = folder / PRIVATE_KEY.name, folder / PUBLIC_KEY.name
    if private_path.exists() and public_path.exists():
        return private_path, public_path
    folder.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    private_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    private_path.chmod(0o600)
    public_path.write_bytes(
        key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return private_path, public_path


def mint_token(
    scopes: list[str], *, subject: str = "dev-user", ttl_seconds: int = 8 * 3600, private_key: Path | None = None
) -> str:
    """A signed dev token carrying `scopes` (space-separated in the `scope` claim, as OAuth2 has it)."""
    key_path = private_key or ensure_key_pair()[0]
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": subject,
        "iat": now,
        "exp": now + ttl_seconds,
        "jti": str(uuid.uuid4()),
        "scope": " ".join(scopes),
    }
    return jwt.encode(claims, key_path.read_text(), algorithm="ES256")
