from pathlib import Path

import django

# The two files `django-admin startproject config .` writes next to settings.py.
templates = Path(django.__file__).parent / "conf" / "project_template" / "project_name"
for name in ("wsgi.py", "asgi.py"):
    text = (templates / f"{name}-tpl").read_text(encoding="utf-8")
    code = text.split('"""', 2)[2].strip()  # drop the module docstring
    print(f"# config/{name}")
    print(code.replace("{{ project_name }}", "config"))
    print()
