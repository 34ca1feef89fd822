"""The Mermaid fence: pymdownx's own rendering, its source reachable by keyboard until drawn."""

from pymdownx.superfences import fence_code_format


def mermaid_fence(source, language, css_class, options, md, **kwargs) -> str:
    """`<pre class="mermaid"><code tabindex="0">` with the diagram's source.

    Until Mermaid draws it (only once it nears the screen, and never without JavaScript),
    the source is a wide block that scrolls sideways; tabindex lets a keyboard reader scroll
    it (axe: scrollable-region-focusable), as Material does for its own code blocks.
    """
    html = fence_code_format(source, language, css_class, options, md, **kwargs)
    return html.replace("<code>", '<code tabindex="0">', 1)
