"""A runnable block's Markdown: its fence inside the skeleton that browser/runnable.js fills.

The wrapper is in the page from the start, so the script adds the toolbar and the output
beside the code and never moves the code itself: a moved element paints again, and the
browser then counts it as the page's largest paint at the moment the script ran
(Lighthouse measured /en/django/'s first code block so, at 3.5 s on its mobile profile).
"""

BLOCK_CLASS = "runnable-block"
CODE_CLASS = "runnable-code"


def runnable_markdown(snippet: str, fence: list[str]) -> list[str]:
    """The fence's lines (opening, body, closing) wrapped for `snippet`, at the fence's indent."""
    indent = fence[0][: len(fence[0]) - len(fence[0].lstrip())]
    opening = [
        f'<div class="{BLOCK_CLASS}" data-snippet="{snippet}" markdown="block">',
        f'<div class="{CODE_CLASS}" markdown="block">',
        "",
    ]
    closing = ["", "</div>", "</div>"]
    return (
        [indent + line if line else line for line in opening]
        + fence
        + [indent + line if line else line for line in closing]
    )
