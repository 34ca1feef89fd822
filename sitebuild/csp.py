"""The Content-Security-Policy of every page, as a <meta> the build writes into its <head>.

A static host cannot be relied on to send headers, so the policy travels in the page
(https://www.w3.org/TR/CSP3/#meta-element). Inline scripts (Material's few) are allowed by
their SHA-256 hash, computed here from the final HTML, never by 'unsafe-inline'.
"""

import base64
import hashlib
import re

SCRIPT = re.compile(r"<script(?P<attributes>[^>]*)>(?P<body>.*?)</script>", re.S)
# Data blocks, such as Material's #__config JSON, are never run: they need no hash.
DATA_BLOCK = re.compile(r"""\stype=["']application/(?:ld\+)?json["']""")
CHARSET = re.compile(r"<meta charset=[^>]*>", re.I)

# One line per directive, each with the reason it is as wide as it is and no wider.
POLICY = {
    "default-src": ["'self'"],
    # 'wasm-unsafe-eval' lets WebAssembly compile and nothing else (no JS eval): Pyodide
    # compiles pyodide.asm.wasm. A worker loaded by URL gets no policy from this <meta>, but
    # a host that sends this policy as a header gives it to the worker too.
    "script-src": ["'self'", "'wasm-unsafe-eval'"],
    # Material, Mermaid and the lab chart set inline styles; a style cannot run code.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],  # Material's icons are data: SVGs in its stylesheet
    "font-src": ["'self'"],
    "connect-src": ["'self'"],  # Pyodide, wheels, search index: all from this site
    "worker-src": ["'self'"],  # the Python worker, the search worker, the service worker
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}


def inline_script_hashes(html: str) -> list[str]:
    """The CSP source of each inline script that runs, in page order, without repeats."""
    hashes = []
    for script in SCRIPT.finditer(html):
        if "src=" in script["attributes"] or DATA_BLOCK.search(script["attributes"]):
            continue
        digest = hashlib.sha256(script["body"].encode("utf-8")).digest()
        source = f"'sha256-{base64.b64encode(digest).decode()}'"
        if source not in hashes:
            hashes.append(source)
    return hashes


def policy_for(html: str) -> str:
    """The policy text for one page: the table above plus that page's inline script hashes."""
    directives = {**POLICY, "script-src": [*POLICY["script-src"], *inline_script_hashes(html)]}
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def with_policy(html: str) -> str:
    """The page with its policy as the first thing after <meta charset>, before any script."""
    charset = CHARSET.search(html)
    if charset is None:
        raise ValueError("a page without <meta charset> cannot carry its policy first")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy_for(html)}">'
    return html[: charset.end()] + meta + html[charset.end() :]
