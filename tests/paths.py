"""Where things are in the checkout, for tests that read files or start processes."""

from pathlib import Path

# The checkout's root: the one that holds README.md, oidc_claims/ and tests/.
ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "oidc_claims"
