"""Build side of the site: the MkDocs hook, the page checks and the browser asset build."""
